/**
 * Where the chat's messages come from: a person at a terminal (the line
 * editor), or lines piped in. Either way a message may span lines: between
 * `"""` and `"""` (as `ollama run` takes it), or with a `\` ending each line
 * but the last; and no control sequence reaches the model.
 *
 * @module
 */

import { LineEditor } from "./line_editor.ts";

/** Reads one line: the text, `null` at the end, or `"interrupted"`. */
export type ReadLine = (
  prompt: string,
) => Promise<string | null | "interrupted">;

/** Escape sequences and control characters other than tab and line ends. */
// deno-lint-ignore no-control-regex
const CONTROL = /\x1b(?:\[[0-?]*[ -/]*[@-~]|O.|.)|[\x00-\x08\x0b-\x1f\x7f]/g;

/** @returns A line without escape sequences or control characters. */
export function withoutControls(line: string): string {
  return line.replace(CONTROL, "");
}

/** Lines from a person at a terminal, edited in place. */
export function terminalLines(): ReadLine {
  const editor = new LineEditor();
  return (prompt) => editor.readLine(prompt);
}

/** Lines piped in, cleaned of control sequences. */
export function pipedLines(lines: AsyncIterator<string>): ReadLine {
  return async () => {
    const next = await lines.next();
    return next.done ? null : withoutControls(next.value);
  };
}

/**
 * Reads one message, joining the lines of a multi-line one.
 *
 * @param read Where the lines come from.
 * @param prompt The first line's prompt.
 * @param more The prompt of the lines after it.
 * @returns The message, `null` at the end, or `"interrupted"`.
 */
export async function readMessage(
  read: ReadLine,
  prompt: string,
  more: string,
): Promise<string | null | "interrupted"> {
  const first = await read(prompt);
  if (first === null || first === "interrupted") return first;
  const fence = first.trimStart().startsWith('"""');
  if (fence) {
    const opening = first.trimStart().slice(3);
    if (opening.trimEnd().endsWith('"""') && opening.trim().length > 0) {
      return opening.trimEnd().slice(0, -3);
    }
    const parts = opening ? [opening] : [];
    for (;;) {
      const line = await read(more);
      if (line === null || line === "interrupted") return line;
      if (line.trimEnd().endsWith('"""')) {
        const last = line.trimEnd().slice(0, -3);
        if (last) parts.push(last);
        return parts.join("\n");
      }
      parts.push(line);
    }
  }
  let text = first;
  while (text.endsWith("\\")) {
    const line = await read(more);
    if (line === null || line === "interrupted") return line;
    text = `${text.slice(0, -1)}\n${line}`;
  }
  return text;
}
