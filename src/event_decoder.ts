/**
 * Decodes the text of a chat completion stream into deltas: SSE events, then
 * JSON chunks, then {@link StreamDelta}s, assembled along the way. It knows
 * the stream's end (`data: [DONE]`) and the error objects some servers send
 * inside a 200 stream.
 *
 * @module
 */

import { CompletionAccumulator } from "./accumulator.ts";
import { deltaFromChunk, isEmptyDelta } from "./chunk.ts";
import { errorFromBody, excerpt, readServerError } from "./error_body.ts";
import { InvalidResponseError } from "./errors/mod.ts";
import { SseParser } from "./sse.ts";
import type { StreamDelta } from "./types.ts";

const DONE = "[DONE]";

/** Decodes one stream. Errors are thrown from {@link ChatEventDecoder.feed}. */
export class ChatEventDecoder {
  /** Everything decoded so far. */
  readonly accumulator: CompletionAccumulator = new CompletionAccumulator();
  #done = false;
  #sawFinish = false;
  #pending: StreamDelta[] = [];
  readonly #parser = new SseParser((data, event) => this.#onEvent(data, event));

  /** Whether `data: [DONE]` arrived. */
  get done(): boolean {
    return this.#done;
  }

  /**
   * @param text The next piece of decoded text.
   * @returns The deltas it completed, in order (the array is reused: read it
   * before the next call).
   * @throws {ApiError|ContextSizeError} For an error event.
   * @throws {InvalidResponseError} For an event that is not JSON.
   */
  feed(text: string): StreamDelta[] {
    this.#pending.length = 0;
    this.#parser.feed(text);
    return this.#pending;
  }

  /**
   * Ends the stream.
   *
   * @returns Whether it ended properly: `[DONE]` arrived, or at least a finish
   * reason with no event cut in half.
   */
  end(): boolean {
    const cut = this.#parser.end();
    return this.#done || (this.#sawFinish && !cut);
  }

  #onEvent(data: string, event: string): void {
    if (this.#done) return;
    if (data === DONE) {
      this.#done = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new InvalidResponseError(
        "A stream event is not JSON.",
        excerpt(data),
      );
    }
    if (chunk === null || typeof chunk !== "object" || Array.isArray(chunk)) {
      throw new InvalidResponseError(
        "A stream event is not a JSON object.",
        excerpt(data),
      );
    }
    const record = chunk as Record<string, unknown>;
    if (
      event === "error" ||
      (record.choices === undefined && readServerError(record))
    ) {
      throw errorFromBody(
        { status: 200, statusText: "error in stream" },
        data,
        record,
      );
    }
    const delta = deltaFromChunk(record);
    // An object that is neither a chunk nor an error (a server's extension) is skipped.
    if (delta === undefined) return;
    this.accumulator.identify(record);
    this.accumulator.add(delta);
    if (delta.finishReason !== undefined) this.#sawFinish = true;
    if (!isEmptyDelta(delta)) this.#pending.push(delta);
  }
}
