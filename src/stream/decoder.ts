/**
 * What a wire API gives the stream layer to read its answers with: a decoder
 * for a streamed body (text in, deltas out, assembled along the way) and a
 * reader for a whole one. Chat completions' SSE, Ollama's NDJSON and the
 * Responses API's events each implement it (src/api/); everything above sees
 * only {@link StreamDelta} and {@link ChatCompletion}.
 *
 * @module
 */

import type { GptOssError } from "../errors/mod.ts";
import type { ErrorOrigin } from "../http/error_body.ts";
import type { ChatCompletion, StreamDelta } from "../types.ts";
import type { CompletionAccumulator } from "./accumulator.ts";

/**
 * Decodes one streamed body. It never throws: an error the server sent, or
 * an event that cannot be read, ends the decoding and is kept in
 * {@link StreamDecoder.failure}, after every delta decoded before it, so
 * that what arrived before a failure still reaches the caller, in order.
 */
export interface StreamDecoder {
  /** Everything decoded so far. */
  readonly accumulator: CompletionAccumulator;
  /** Whether the stream's own end marker arrived (nothing after it is read). */
  readonly done: boolean;
  /** The failure that ended the decoding, if one did; nothing more is read after it. */
  readonly failure: GptOssError | undefined;
  /**
   * @param text The next piece of decoded text, split anywhere.
   * @returns The deltas it completed, in order, up to a failure (the array
   * may be reused: read it before the next call).
   */
  feed(text: string): StreamDelta[];
  /** @returns What was held back (a tail that could start a marker), once the stream is over. */
  flush(): StreamDelta[];
  /** @returns Whether the stream ended properly, rather than being cut. */
  end(): boolean;
}

/** How the decoders of one request are made. */
export interface DecoderOptions {
  /** Split raw harmony found in the answer's text. */
  splitHarmony: boolean;
  /** The longest event kept in memory, in characters. */
  maxEventLength: number;
}

/** How a wire API reads its answers. */
export interface AnswerReader {
  /** @returns A decoder for one streamed body. */
  stream(options: DecoderOptions): StreamDecoder;
  /**
   * A whole answer: a JSON body, which may also be an error object.
   *
   * @param body The parsed body.
   * @param raw Its text, for errors.
   * @param origin Where it came from, for errors.
   * @returns The completion, normalised.
   * @throws {ApiError|ContextSizeError} For an error object.
   * @throws {InvalidResponseError} For a body of the wrong shape.
   */
  whole(
    body: unknown,
    raw: string,
    origin: ErrorOrigin,
    options: Pick<DecoderOptions, "splitHarmony">,
  ): ChatCompletion;
  /**
   * Whether a response to a stream request is one body to read whole rather
   * than a stream (a server that ignored `stream: true`, an HTML page).
   * Default: a JSON or HTML content type.
   */
  readsWhole?(contentType: string): boolean;
}
