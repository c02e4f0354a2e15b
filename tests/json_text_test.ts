// The in-place JSON readers of the event templates, against JSON.parse on
// generated text: every string they decode is the one JSON.parse reads, and
// every text JSON.parse refuses they refuse.
import assert from "node:assert/strict";
import {
  decodeStringBody,
  jsonNumberEnd,
  plainStringEnd,
  plainStringEndLong,
  stringEnd,
} from "../src/stream/json_text.ts";
import { seededRandom } from "./_helpers.ts";

/** Pieces of a string's body: plain, non-ASCII, every escape, and what JSON refuses. */
const PIECES = [
  "a",
  "word ",
  "é",
  "\u65e5",
  "\u{1F600}",
  "\ud83d", // a lone high surrogate, raw
  "\u007f",
  '\\"',
  "\\\\",
  "\\/",
  "\\b",
  "\\f",
  "\\n",
  "\\r",
  "\\t",
  "\\u00e9",
  "\\u00E9",
  "\\uD83D",
  "\\ude00",
  "\\u0000",
  "\\uabcd",
  // Refused by JSON.parse:
  "\\x41",
  "\\'",
  "\\U0041",
  "\\u12",
  "\\u12G4",
  "\\u 123",
  "\\",
  "\u0000",
  "\u001f",
  "\t",
  "\n",
];

/** JSON.parse's reading of a quoted string, or `undefined` when it refuses it. */
function parsed(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted);
  } catch {
    return undefined;
  }
}

Deno.test("decodeStringBody() reads every string body as JSON.parse does, and refuses what it refuses", () => {
  const random = seededRandom(16);
  let valid = 0;
  let refused = 0;
  for (let n = 0; n < 20_000; n++) {
    let body = "";
    const length = Math.floor(random() * 6);
    for (let i = 0; i < length; i++) {
      body += PIECES[Math.floor(random() * PIECES.length)];
    }
    // Inside an event, as the templates read it: text before and after.
    const text = `{"k":"${body}"}`;
    const end = stringEnd(text, 6);
    // The readers only see a string's body up to its closing quote.
    if (end !== text.length - 2) continue;
    const want = parsed(`"${body}"`);
    assert.equal(decodeStringBody(text, 6, end), want, JSON.stringify(body));
    if (want === undefined) refused++;
    else valid++;
    // The plain scans: a string they find plain needs no decoding.
    for (const scan of [plainStringEnd, plainStringEndLong]) {
      const plain = scan(text, 6);
      if (plain !== -1) {
        assert.equal(plain, end);
        assert.equal(text.slice(6, plain), want, JSON.stringify(body));
      }
    }
  }
  // Both kinds were generated in numbers.
  assert.ok(
    valid > 5_000 && refused > 5_000,
    `${valid} valid, ${refused} refused`,
  );
});

Deno.test("decodeStringBody() does not read past the end it is given", () => {
  // An escape cut by the end is refused, not read from beyond it.
  assert.equal(decodeStringBody('"ab\\"', 1, 4), undefined);
  assert.equal(decodeStringBody('"\\u00e9"', 1, 6), undefined);
  assert.equal(decodeStringBody('"\\u00e9"', 1, 7), "é");
});

Deno.test("jsonNumberEnd() accepts what JSON.parse reads as one number, and nothing else", () => {
  const random = seededRandom(17);
  const chars = ["-", "+", "0", "1", "9", ".", "e", "E", "x"];
  for (let n = 0; n < 20_000; n++) {
    let number = "";
    const length = 1 + Math.floor(random() * 7);
    for (let i = 0; i < length; i++) {
      number += chars[Math.floor(random() * chars.length)];
    }
    const text = `{"k":${number}}`;
    const end = jsonNumberEnd(text, 5);
    // Where the reader stops, the event must go on with its literal "}".
    const read = end !== -1 && text.slice(end) === "}";
    let valid: boolean;
    try {
      valid = typeof JSON.parse(number) === "number";
    } catch {
      valid = false;
    }
    assert.equal(read, valid, number);
  }
});
