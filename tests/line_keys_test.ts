import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  applyKey,
  columns,
  emptyLine,
  type Key,
  KeyReader,
} from "../cli/line_keys.ts";
import { readMessage, withoutControls } from "../cli/chat_input.ts";

/**
 * Types text into a fresh line, cut where given (between characters, as a
 * streaming UTF-8 decoder hands them over).
 *
 * @returns The line and the outcome.
 */
function type(
  input: string,
  history: string[] = [],
  cuts: number[] = [],
): { line: string; outcome: string; cursor: number } {
  const reader = new KeyReader();
  const state = emptyLine(history);
  const chars = Array.from(input);
  let outcome = "edit";
  let from = 0;
  const ends = [
    ...cuts.filter((c) => c > 0 && c < chars.length).sort((a, b) => a - b),
    chars.length,
  ];
  for (const at of ends) {
    for (const key of reader.feed(chars.slice(from, at).join(""))) {
      outcome = applyKey(state, key, history);
      if (outcome !== "edit") {
        return { line: state.chars.join(""), outcome, cursor: state.cursor };
      }
    }
    from = at;
  }
  return { line: state.chars.join(""), outcome, cursor: state.cursor };
}

Deno.test("the line editor's keys: arrows, Home/End, Ctrl-A/E/W/U/K, Backspace, Delete", () => {
  const LEFT = "\x1b[D", RIGHT = "\x1b[C", HOME = "\x1b[H", END = "\x1b[F";
  assert.deepEqual(type(`helo${LEFT}${LEFT}l\r`).line, "hello");
  assert.equal(type(`world${HOME}hello \r`).line, "hello world");
  assert.equal(type(`b\x01a\x05c\r`).line, "abc");
  assert.equal(type(`one two three\x17\r`).line, "one two ");
  assert.equal(type(`one two  \x17\r`).line, "one ");
  assert.equal(type(`abc${LEFT}\x7f\r`).line, "ac");
  assert.equal(type(`abc${HOME}\x1b[3~\r`).line, "bc");
  assert.equal(type(`abcdef${LEFT}${LEFT}\x0b\r`).line, "abcd");
  assert.equal(type(`abcdef${LEFT}${LEFT}\x15\r`).line, "ef");
  assert.equal(type(`ab${LEFT}${LEFT}${LEFT}${RIGHT}x${END}y\r`).line, "axby");
  // Other forms terminals send for the same keys.
  assert.equal(type(`ab\x1bOHx\x1bOFy\r`).line, "xaby");
  assert.equal(type(`ab\x1b[1~x\x1b[4~y\r`).line, "xaby");
  assert.equal(type(`one two\x1b[1;5Dx\r`).line, "one twxo");
  // Keys it does not know are dropped, never typed: F5, Alt-x, a mouse report.
  assert.equal(type(`a\x1b[15~b\x1bxc\x1b[<0;3;4Md\r`).line, "abcd");
  assert.equal(type("a\x07b\r").line, "ab");
});

Deno.test("the line editor's history: Up and Down through earlier lines, the draft kept", () => {
  const UP = "\x1b[A", DOWN = "\x1b[B";
  const history = ["first", "second"];
  assert.equal(type(`${UP}\r`, history).line, "second");
  assert.equal(type(`${UP}${UP}${UP}\r`, history).line, "first");
  assert.equal(type(`draft${UP}${DOWN}\r`, history).line, "draft");
  assert.equal(type(`${UP}!\r`, history).line, "second!");
  assert.equal(type(`${DOWN}x\r`, history).line, "x");
  assert.equal(type(`\x10\r`, history).line, "second"); // Ctrl-P
});

Deno.test("the line editor: Ctrl-C, Ctrl-D, Enter as CR LF, a bracketed paste, UTF-8 split anywhere", () => {
  assert.equal(type("\x03").outcome, "interrupt");
  assert.equal(type("\x04").outcome, "eof");
  assert.deepEqual(
    type("ab\x1b[D\x04\r").line,
    "a",
    "Ctrl-D in a line deletes",
  );
  const crlf = new KeyReader().feed("x\r\n");
  assert.deepEqual(crlf.map((k) => k.kind), ["text", "enter"]);
  // A paste keeps its line ends as text; Enter after it submits.
  assert.equal(
    type("\x1b[200~line one\r\nline two\x1b[201~\r").line,
    "line one\nline two",
  );
  // Split anywhere, sequences and characters alike.
  const input = "h\u00e9\u4e2d\u{1F389}\x1b[D\x1b[Dx\x1b[200~p\rq\x1b[201~\r";
  const whole = type(input).line;
  assert.equal(whole, "h\u00e9xp\nq\u4e2d\u{1F389}");
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: Array.from(input).length - 1 }), {
        maxLength: 6,
      }),
      (cuts) => assert.equal(type(input, [], cuts).line, whole),
    ),
    { numRuns: 200, seed: 3 },
  );
  assert.equal(columns(Array.from("a\u4e2d\u{1F389}")), 5);
});

Deno.test('a chat message may span lines: between """ and """, or with a trailing backslash; control sequences never reach the model', async () => {
  const reader = (lines: (string | null)[]) => {
    const queue = [...lines];
    return (_prompt: string) => Promise.resolve(queue.shift() ?? null);
  };
  assert.equal(
    await readMessage(reader(['"""', "one", "two", '"""']), "› ", "… "),
    "one\ntwo",
  );
  assert.equal(
    await readMessage(reader(['"""first', 'last"""']), "› ", "… "),
    "first\nlast",
  );
  assert.equal(
    await readMessage(reader(['"""all on one line"""']), "› ", "… "),
    "all on one line",
  );
  assert.equal(
    await readMessage(reader(["one \\", "two \\", "three"]), "› ", "… "),
    "one \ntwo \nthree",
  );
  assert.equal(await readMessage(reader(["plain"]), "› ", "… "), "plain");
  assert.equal(await readMessage(reader([]), "› ", "… "), null);
  assert.equal(
    withoutControls("hi\x1b[A\x1b[D there\x07\x1bOA!"),
    "hi there!",
  );
});

const _k: Key = { kind: "text", text: "" };
