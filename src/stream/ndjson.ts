/**
 * Newline-delimited JSON, as Ollama's native API streams it
 * (`application/x-ndjson`): one value per line, lines ended by LF (a CR
 * before it is dropped), blank lines skipped. Only the splitting is done
 * here; each line's text goes to the caller, who parses it.
 *
 * @module
 */

import { InvalidResponseError } from "../errors/mod.ts";

/**
 * Reads a whole line where it starts in the text, its line end included,
 * without it being cut out (a template's pattern, src/stream/event_template.ts).
 *
 * @param text The text.
 * @param from Where the line starts.
 * @param limit The most characters the line and its end may take.
 * @returns Where the next line starts when it read the line; -1 when the
 * line is to be cut out and handed to `onLine` as usual.
 */
export type LineReader = (text: string, from: number, limit: number) => number;

/** Splits a stream of text into its lines. */
export class NdjsonParser {
  readonly #onLine: (line: string) => void;
  readonly #maxLineLength: number;
  readonly #readAt: LineReader | undefined;
  #line = "";

  /**
   * @param onLine Called with each non-blank line, without its line end.
   * @param maxLineLength The longest line kept in memory, in characters; a
   * longer one throws {@link InvalidResponseError}.
   * @param readAt Tried first on each line that starts within a chunk.
   */
  constructor(
    onLine: (line: string) => void,
    maxLineLength = Infinity,
    readAt?: LineReader,
  ) {
    this.#onLine = onLine;
    this.#maxLineLength = maxLineLength;
    this.#readAt = readAt;
  }

  /** @param chunk Decoded text, split anywhere. */
  feed(chunk: string): void {
    let start = 0;
    if (this.#readAt !== undefined && this.#line === "") {
      start = this.#readLines(chunk, start);
    }
    let end = chunk.indexOf("\n", start);
    while (end !== -1) {
      const line = this.#line + chunk.slice(start, end);
      this.#line = "";
      this.#take(line);
      start = end + 1;
      if (this.#readAt !== undefined) start = this.#readLines(chunk, start);
      end = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) {
      this.#line += chunk.slice(start);
      if (this.#line.length > this.#maxLineLength) this.#tooLong(this.#line);
    }
  }

  /**
   * Whole lines read where they sit, from `start`, while the reader takes
   * them.
   *
   * @returns Where the text it did not read begins.
   */
  #readLines(chunk: string, start: number): number {
    const readAt = this.#readAt!;
    // The LF counts against the limit, and a CR before it, as in `#take`.
    const limit = this.#maxLineLength + 1;
    for (let next; (next = readAt(chunk, start, limit)) !== -1;) start = next;
    return start;
  }

  /**
   * Ends the stream: a last line without its LF is still a line.
   *
   * @returns Whether that last line was there (the stream may have been cut in it).
   */
  end(): boolean {
    const rest = this.#line;
    this.#line = "";
    if (rest.trim() === "") return false;
    this.#take(rest);
    return true;
  }

  #take(line: string): void {
    if (line.length > this.#maxLineLength) this.#tooLong(line);
    const text = line.endsWith("\r") ? line.slice(0, -1) : line;
    // A line that starts with a value is not blank (no trim on every line).
    const first = text.charCodeAt(0);
    if (first === 0x7b || text.trim() !== "") this.#onLine(text); // {
  }

  #tooLong(text: string): never {
    throw new InvalidResponseError(
      `A stream line is longer than ${this.#maxLineLength} characters; the stream was not read further. Raise maxResponseBytes if such lines are expected.`,
      text.slice(0, 200),
    );
  }
}
