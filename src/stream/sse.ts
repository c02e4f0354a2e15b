/**
 * A server-sent events parser that follows the WHATWG "interpreting an event
 * stream" rules exactly: lines end in LF, CR or CRLF (a CRLF may be split
 * across two chunks), a leading BOM is dropped once, lines starting with `:`
 * are comments, several `data:` lines join with LF, one space after the colon
 * is removed, and an event is dispatched at a blank line only if it had data.
 * An event left without its blank line at the end of the stream is not
 * dispatched, as in a browser.
 *
 * Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 *
 * @module
 */

import { InvalidResponseError } from "../errors/mod.ts";
import type { LineReader } from "./ndjson.ts";

const LF = 10;
const CR = 13;

/**
 * A push parser: feed it decoded text as it arrives, it calls `onEvent` for
 * each complete event. It keeps only the unfinished line between calls.
 *
 * Fed `"data: hel"` then `"lo\r\n\r\ndata: [DONE]\n\n"`, it calls `onEvent`
 * with `"hello"`, then with `"[DONE]"`.
 */
export class SseParser {
  readonly #onEvent: (data: string, event: string, id: string) => void;
  readonly #onOtherField: ((field: string, value: string) => void) | undefined;
  #line = ""; // the unfinished line carried over from the previous chunk
  #data = "";
  #hasData = false;
  #event = "";
  #id = "";
  #started = false;
  #afterCR = false; // the previous chunk ended with CR: a leading LF completes a CRLF
  readonly #maxEventLength: number;
  readonly #readAt: LineReader | undefined;

  /**
   * Creates a parser.
   *
   * @param onEvent Called with each event's data, type and last event id.
   * @param onOtherField Called with each field the spec tells a browser to
   * ignore (not `data`, `event`, `id` or `retry`), for dialects such as
   * llama.cpp's `error:` lines; the event being built is not affected.
   * @param maxEventLength The longest event (or line) kept in memory, in
   * characters; a longer one throws {@link InvalidResponseError} instead of
   * growing without end. Default: no limit.
   * @param readAt Tried first where a one-line event may start (`data: …`
   * and its blank line, in a chunk without CR, no field pending): it reads
   * the whole event where it sits, or returns -1 to let the parser read it.
   */
  constructor(
    onEvent: (data: string, event: string, id: string) => void,
    onOtherField?: (field: string, value: string) => void,
    maxEventLength = Infinity,
    readAt?: LineReader,
  ) {
    this.#onEvent = onEvent;
    this.#onOtherField = onOtherField;
    this.#maxEventLength = maxEventLength;
    this.#readAt = readAt;
  }

  /**
   * Parses the next piece of the stream.
   *
   * @param chunk Decoded text, split anywhere.
   */
  feed(chunk: string): void {
    let start = 0;
    const length = chunk.length;
    if (!this.#started) {
      if (length === 0) return;
      this.#started = true;
      if (chunk.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.#afterCR && start < length) {
      this.#afterCR = false;
      if (chunk.charCodeAt(start) === LF) start++;
    }
    if (chunk.indexOf("\r", start) === -1) {
      this.#feedLF(chunk, start);
      return;
    }
    // Positions of the next LF and CR, searched again only once passed, so a
    // stream without CR costs one failed search per chunk, not one per line.
    let nextLF = chunk.indexOf("\n", start);
    let nextCR = chunk.indexOf("\r", start);
    while (start < length) {
      if (nextLF !== -1 && nextLF < start) nextLF = chunk.indexOf("\n", start);
      if (nextCR !== -1 && nextCR < start) nextCR = chunk.indexOf("\r", start);
      const end = nextCR === -1
        ? nextLF
        : nextLF === -1
        ? nextCR
        : Math.min(nextLF, nextCR);
      if (end === -1) {
        this.#line += start === 0 ? chunk : chunk.slice(start);
        this.#checkSize();
        return;
      }
      const piece = chunk.slice(start, end);
      if (this.#line) {
        this.#processLine(this.#line + piece);
        this.#line = "";
      } else this.#processLine(piece);
      start = end + 1;
      if (chunk.charCodeAt(end) === CR) {
        if (start === length) this.#afterCR = true;
        else if (chunk.charCodeAt(start) === LF) start++;
      }
    }
  }

  /**
   * The common case, a chunk without CR: lines found with one search each,
   * `data:` lines read in place, and a one-line event dispatched without
   * being buffered.
   */
  #feedLF(chunk: string, from: number): void {
    let start = from;
    let end = chunk.indexOf("\n", start);
    if (end !== -1 && this.#line) {
      // The line begun in the previous chunk.
      this.#processLine(this.#line + chunk.slice(start, end));
      this.#line = "";
      start = end + 1;
      end = chunk.indexOf("\n", start);
    }
    if (end !== -1 && this.#readAt !== undefined) {
      const next = this.#readEvents(chunk, start);
      if (next !== start) end = chunk.indexOf("\n", start = next);
    }
    while (end !== -1) {
      if (end === start) this.#processLine("");
      else if (chunk.startsWith("data:", start)) {
        const value = chunk.slice(
          chunk.charCodeAt(start + 5) === 32 ? start + 6 : start + 5,
          end,
        );
        if (!this.#hasData && chunk.charCodeAt(end + 1) === LF) {
          // "data: …\n\n": the whole event at once.
          if (value.length > this.#maxEventLength) this.#tooLong(value);
          const event = this.#event;
          this.#event = "";
          this.#onEvent(value, event, this.#id);
          start = end + 2;
          if (this.#readAt !== undefined) {
            start = this.#readEvents(chunk, start);
          }
          end = chunk.indexOf("\n", start);
          continue;
        }
        this.#addData(value);
      } else this.#processLine(chunk.slice(start, end));
      start = end + 1;
      if (this.#readAt !== undefined) start = this.#readEvents(chunk, start);
      end = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) {
      this.#line += start === 0 ? chunk : chunk.slice(start);
      this.#checkSize();
    }
  }

  /**
   * One-line events read where they sit, from `start`, while the reader
   * takes them and nothing is pending (no data line, no event type).
   *
   * @returns Where the text it did not read begins.
   */
  #readEvents(chunk: string, start: number): number {
    if (this.#hasData || this.#event !== "") return start;
    const readAt = this.#readAt!;
    // "data:" and the two LFs besides the value; a space after the colon
    // counts against it (only an event that surely fits is read here).
    const limit = this.#maxEventLength + 7;
    for (let next; (next = readAt(chunk, start, limit)) !== -1;) start = next;
    return start;
  }

  /**
   * Ends the stream.
   *
   * @returns `true` when data arrived that no blank line dispatched (the
   * stream was cut in the middle of an event), `false` otherwise.
   */
  end(): boolean {
    const cut = this.#hasData || this.#line !== "";
    this.#line = "";
    this.#data = "";
    this.#hasData = false;
    this.#event = "";
    return cut;
  }

  #addData(value: string): void {
    if (this.#hasData) this.#data += "\n" + value;
    else {
      this.#data = value;
      this.#hasData = true;
    }
    if (this.#data.length > this.#maxEventLength) this.#checkSize();
  }

  #checkSize(): void {
    if (this.#line.length + this.#data.length > this.#maxEventLength) {
      this.#tooLong(this.#data || this.#line);
    }
  }

  #tooLong(text: string): never {
    throw new InvalidResponseError(
      `A stream event is longer than ${this.#maxEventLength} characters; the stream was not read further. Raise maxResponseBytes if such events are expected.`,
      text.slice(0, 200),
    );
  }

  #processLine(line: string): void {
    if (line === "") {
      if (this.#hasData) {
        const data = this.#data;
        const event = this.#event;
        this.#data = "";
        this.#hasData = false;
        this.#event = "";
        this.#onEvent(data, event, this.#id);
      } else this.#event = "";
      return;
    }
    // Nearly every line is "data: …": read it without cutting out the field name.
    if (line.startsWith("data:")) {
      this.#addData(
        line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5),
      );
      return;
    }
    const colon = line.indexOf(":");
    if (colon === 0) return; // a comment
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32
        ? line.slice(colon + 2)
        : line.slice(colon + 1);
    }
    switch (field) {
      case "data":
        this.#addData(value);
        break;
      case "event":
        this.#event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.#id = value;
        break;
      case "retry": // nothing reconnects here
        break;
      default:
        this.#onOtherField?.(field, value);
    }
  }
}
