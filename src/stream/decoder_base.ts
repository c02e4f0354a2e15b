/**
 * What the stream decoders of every wire API share: the deltas of one
 * `feed`, the stream's own end marker, and the rule that a typed error ends
 * the decoding after every delta decoded before it, which reach the caller
 * first (src/api/chat, src/api/responses, src/api/ollama).
 *
 * @module
 */

import { GptOssError, InvalidResponseError } from "../errors/mod.ts";
import { excerpt } from "../http/error_body.ts";
import type { StreamDelta } from "../types.ts";
import { CompletionAccumulator } from "./accumulator.ts";
import type { StreamDecoder } from "./decoder.ts";

/** A decoder's shared state; a wire API's decoder reads its text in {@link DecoderBase.read}. */
export abstract class DecoderBase implements StreamDecoder {
  /** Everything decoded so far. */
  readonly accumulator: CompletionAccumulator = new CompletionAccumulator();
  /** The deltas of the current call (reused: read before the next call). */
  protected readonly pending: StreamDelta[] = [];
  /** Whether the stream's own end marker arrived (nothing after it is read). */
  protected finished = false;
  #failure: GptOssError | undefined;

  /** Whether the stream's own end marker arrived. */
  get done(): boolean {
    return this.finished;
  }

  /** The failure that ended the decoding, if one did; nothing more is read after it. */
  get failure(): GptOssError | undefined {
    return this.#failure;
  }

  /**
   * @param text The next piece of decoded text, split anywhere.
   * @returns The deltas it completed, in order, up to a failure (the array
   * is reused: read it before the next call).
   */
  feed(text: string): StreamDelta[] {
    this.pending.length = 0;
    if (this.#failure === undefined && !this.finished) {
      try {
        this.read(text);
      } catch (error) {
        this.#fail(error);
      }
    }
    return this.pending;
  }

  /** Runs decoding work; a typed error it throws becomes the failure. */
  protected guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    // Anything but a typed error is a bug here: let it be seen as one.
    if (!(error instanceof GptOssError)) throw error;
    this.#failure = error;
  }

  /** Reads the next piece of text, adding deltas to {@link DecoderBase.pending}. */
  protected abstract read(text: string): void;
  /** @returns What was held back, once the stream is over. */
  abstract flush(): StreamDelta[];
  /** @returns Whether the stream ended properly, rather than being cut. */
  abstract end(): boolean;
}

/**
 * @param text One event's data, or one line.
 * @param what What it is, for the error: "A stream event".
 * @returns It parsed, when it is a JSON object.
 * @throws {InvalidResponseError} When it is not JSON, or not an object.
 */
export function parseEventObject(
  text: string,
  what: string,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidResponseError(`${what} is not JSON.`, excerpt(text));
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidResponseError(
      `${what} is not a JSON object.`,
      excerpt(text),
    );
  }
  return value as Record<string, unknown>;
}
