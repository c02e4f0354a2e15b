/**
 * The chat prompt on a terminal: one line edited in place, with the keys of
 * line_keys.ts and the session's history, drawn on stderr. The terminal is
 * in raw mode only while a line is being read, so that Ctrl-C during an
 * answer is still the signal that stops it.
 *
 * @module
 */

import {
  applyKey,
  columns,
  emptyLine,
  KeyReader,
  type LineState,
} from "./line_keys.ts";

const encoder = new TextEncoder();

/** Lines read from a person at a terminal. */
export class LineEditor {
  readonly #history: string[] = [];
  readonly #keys = new KeyReader();
  readonly #decoder = new TextDecoder();
  readonly #write: (text: string) => void;
  /** The row of the cursor, counted from the line's first row. */
  #cursorRow = 0;

  /** @param write Where the prompt and the line are drawn (stderr). */
  constructor(
    write: (text: string) => void = (text) => {
      let bytes = encoder.encode(text);
      while (bytes.length) bytes = bytes.subarray(Deno.stderr.writeSync(bytes));
    },
  ) {
    this.#write = write;
  }

  /**
   * @param prompt What is drawn before the line.
   * @returns The line, `null` at Ctrl-D on an empty line (or the end of
   * input), or `"interrupted"` at Ctrl-C on an empty line.
   */
  async readLine(prompt: string): Promise<string | null | "interrupted"> {
    const state = emptyLine(this.#history);
    this.#cursorRow = 0;
    this.#draw(prompt, state);
    Deno.stdin.setRaw(true);
    // Bracketed paste: a pasted text's line ends are text, not Enter.
    this.#write("\x1b[?2004h");
    try {
      const buffer = new Uint8Array(1024);
      for (;;) {
        const n = await Deno.stdin.read(buffer);
        if (n === null) return null;
        const text = this.#decoder.decode(buffer.subarray(0, n), {
          stream: true,
        });
        for (const key of this.#keys.feed(text)) {
          const outcome = applyKey(state, key, this.#history);
          if (outcome === "edit") continue;
          if (outcome === "eof") {
            this.#write("\r\n");
            return null;
          }
          if (outcome === "interrupt") {
            if (state.chars.length === 0) {
              this.#write("\r\n");
              return "interrupted";
            }
            // As shells do: Ctrl-C drops the line being typed.
            state.chars.length = 0;
            state.cursor = 0;
            continue;
          }
          const line = state.chars.join("");
          state.cursor = state.chars.length;
          this.#draw(prompt, state);
          this.#write("\r\n");
          if (line.trim() && this.#history.at(-1) !== line) {
            this.#history.push(line);
          }
          return line;
        }
        this.#draw(prompt, state);
      }
    } finally {
      this.#write("\x1b[?2004l");
      Deno.stdin.setRaw(false);
    }
  }

  /**
   * Redraws the prompt and the line, the cursor where it is: from the row
   * the line began on, so that a line longer than the terminal is wide is
   * redrawn whole.
   */
  #draw(prompt: string, state: LineState): void {
    const width = terminalWidth();
    const shown = state.chars.map((c) => c === "\n" ? "⏎" : c);
    const start = columns(Array.from(prompt));
    const total = start + columns(shown);
    const at = start + columns(shown.slice(0, state.cursor));
    let out = this.#cursorRow ? `\x1b[${this.#cursorRow}A` : "";
    out += `\r\x1b[J${prompt}${shown.join("")}`;
    // At the very end of a row the terminal waits to wrap: wrap now.
    if (total > 0 && total % width === 0) out += "\r\n";
    const endRow = Math.floor(total / width);
    const row = Math.floor(at / width);
    if (endRow > row) out += `\x1b[${endRow - row}A`;
    out += "\r";
    if (at % width) out += `\x1b[${at % width}C`;
    this.#cursorRow = row;
    this.#write(out);
  }
}

/** The terminal's width in columns (80 when it does not say). */
function terminalWidth(): number {
  try {
    return Math.max(10, Deno.consoleSize().columns);
  } catch {
    return 80;
  }
}
