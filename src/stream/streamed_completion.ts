/**
 * The {@link ChatStream} the client returns: it starts its request on first
 * use, reads the body with the wire API's decoder, hands each delta to the
 * caller as it is decoded, and settles `completion()` with the assembled
 * answer, or with what arrived when the stream broke or the caller left.
 *
 * @module
 */

import { GptOssError, InvalidResponseError } from "../errors/mod.ts";
import { excerpt } from "../http/error_body.ts";
import { bodyFailure, parseJson, readBody } from "../http/read_body.ts";
import type { OpenResponse } from "../http/request.ts";
import type { ChatCompletion, StreamDelta, Truncation } from "../types.ts";
import type { ChatStream } from "./chat_stream.ts";
import type { AnswerReader } from "./decoder.ts";
import { finishCompletion } from "./stats.ts";
import {
  streamBody,
  type StreamBodyFormat,
  type StreamBodyOptions,
} from "./stream_body.ts";

/** A started request: the response, its watchdog, and what was trimmed to send it. */
export interface OpenedStream extends OpenResponse {
  truncation?: Truncation;
}

/** Everything a stream needs from the client. */
export interface StreamSource {
  /** Starts the request; called once, on first use. */
  open(): Promise<OpenedStream>;
  /** The request's URL as it may be shown. */
  url: string;
  /** How the wire API's answers are read. */
  reader: AnswerReader;
  /** What the client dropped to fit the context window, when known before the start. */
  truncation?: Truncation;
  /** Hides secrets in an error before anyone sees it. */
  scrub(error: unknown): unknown;
  /** Split raw harmony found in the answer's text. */
  splitHarmony: boolean;
  /** The largest whole body, or single event, read into memory. */
  maxResponseBytes: number;
}

/** A streamed completion; create it with the client's source. */
export class StreamedCompletion implements ChatStream {
  readonly #source: StreamSource;
  #truncation: Truncation | undefined;
  #started = false;
  readonly #result: Promise<ChatCompletion>;
  #resolve!: (completion: ChatCompletion) => void;
  #reject!: (error: unknown) => void;
  #startedAt = 0;
  #firstTokenAt: number | undefined;

  /** @param source The request and how to read it. */
  constructor(source: StreamSource) {
    this.#source = source;
    this.#truncation = source.truncation;
    this.#result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Handled here so that a failure nobody asked for is not an unhandled rejection.
    this.#result.catch(() => {});
  }

  get truncation(): Truncation | undefined {
    return this.#truncation;
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamDelta> {
    if (this.#started) {
      throw new GptOssError(
        "This ChatStream has already been read. Call completion() for its result, or start a new request.",
      );
    }
    this.#started = true;
    return this.#run();
  }

  toReadableStream(
    format: StreamBodyFormat = "ndjson",
    options: StreamBodyOptions = {},
  ): ReadableStream<Uint8Array> {
    return streamBody(this, format, options);
  }

  completion(): Promise<ChatCompletion> {
    if (!this.#started) {
      this.#started = true;
      (async () => {
        for await (const _ of this.#run()) {
          /* each delta is also accumulated */
        }
      })().catch(() => {/* the same error rejects the result */});
    }
    return this.#result;
  }

  async *#run(): AsyncGenerator<StreamDelta, void, undefined> {
    const source = this.#source;
    const decoder = source.reader.stream({
      splitHarmony: source.splitHarmony,
      maxEventLength: source.maxResponseBytes,
    });
    const partial = () => {
      decoder.flush();
      return decoder.accumulator.empty
        ? undefined
        : this.#finish(decoder.accumulator.result(true));
    };
    this.#startedAt = performance.now();
    let opened: OpenedStream;
    try {
      opened = await source.open();
    } catch (error) {
      throw this.#fail(error);
    }
    if (opened.truncation) this.#truncation = opened.truncation;
    const { response, watchdog } = opened;
    const contentType = response.headers.get("content-type") ?? "";
    if (contentType.includes("json") || contentType.startsWith("text/html")) {
      yield* this.#runWholeBody(opened, contentType);
      return;
    }
    // The bytes are decoded here rather than through a TextDecoderStream:
    // the same decoding, without a transform stream and a pipe per request
    // (bench/README.md: about 0.1 ms less to the first delta of each request).
    const reader = response.body!.getReader();
    const text = new TextDecoder();
    let settled = false;
    try {
      while (true) {
        let read: ReadableStreamReadResult<Uint8Array>;
        try {
          read = await reader.read();
        } catch (cause) {
          throw withPartial(
            bodyFailure(watchdog, source.url, cause),
            partial(),
          );
        }
        let piece: string;
        if (read.done) {
          // A character cut by the end of the body decodes as U+FFFD, as a
          // TextDecoderStream would.
          piece = text.decode();
          if (piece === "") break;
        } else {
          watchdog.touch();
          piece = text.decode(read.value, { stream: true });
        }
        let deltas: StreamDelta[];
        try {
          deltas = decoder.feed(piece);
        } catch (error) {
          throw withPartial(error, partial());
        }
        if (this.#firstTokenAt === undefined && deltas.some(carriesTokens)) {
          this.#firstTokenAt = performance.now();
        }
        for (const delta of deltas) yield delta;
        if (decoder.done || read.done) break;
      }
      const last = decoder.flush();
      if (last) yield last;
      if (!decoder.end()) {
        throw withPartial(
          new InvalidResponseError(
            "The stream ended before its end (no [DONE] and no finish reason).",
          ),
          this.#finish(decoder.accumulator.result(true)),
        );
      }
      settled = true;
      this.#resolve(this.#finish(decoder.accumulator.result()));
    } catch (error) {
      settled = true;
      throw this.#fail(error);
    } finally {
      watchdog.dispose();
      if (!settled) {
        // The caller left the loop early: keep what arrived. Cancelling the
        // body below stops the request; aborting its signal as well would
        // only make the runtime build errors for the reads it interrupts.
        this.#resolve(this.#finish(decoder.accumulator.result(true)));
      }
      // Frees the socket; after the end marker there is nothing left to read.
      reader.cancel().catch(() => {});
    }
  }

  /** Adds what the client knows to an assembled completion. */
  #finish(completion: ChatCompletion): ChatCompletion {
    return finishCompletion(completion, {
      startedAt: this.#startedAt,
      ...(this.#firstTokenAt === undefined
        ? {}
        : { firstTokenAt: this.#firstTokenAt }),
      endedAt: performance.now(),
    }, this.#truncation);
  }

  /** Hides secrets in the error, rejects the result with it, and returns it. */
  #fail(error: unknown): unknown {
    const shown = this.#source.scrub(error);
    this.#reject(shown);
    return shown;
  }

  /**
   * A server that ignored `stream: true` and answered with one JSON body, or
   * a proxy's HTML page with a 200 status.
   */
  async *#runWholeBody(
    { response, watchdog }: OpenResponse,
    contentType: string,
  ): AsyncGenerator<StreamDelta> {
    const source = this.#source;
    let completion: ChatCompletion;
    try {
      let raw: string;
      try {
        raw = await readBody(
          response,
          watchdog,
          source.url,
          source.maxResponseBytes,
        );
      } finally {
        watchdog.dispose();
      }
      if (contentType.startsWith("text/html")) {
        throw new InvalidResponseError(
          "The server answered with an HTML page instead of an event stream.",
          excerpt(raw),
        );
      }
      completion = source.reader.whole(
        parseJson(raw, contentType),
        raw,
        { status: response.status, url: source.url },
        source,
      );
    } catch (error) {
      throw this.#fail(error);
    }
    this.#firstTokenAt = performance.now();
    this.#resolve(this.#finish(completion));
    yield deltaOf(completion);
  }
}

/** The whole of a completion as one delta. */
function deltaOf(completion: ChatCompletion): StreamDelta {
  const [choice] = completion.choices;
  const { message } = choice;
  const delta: StreamDelta = {};
  if (message.reasoning) delta.reasoning = message.reasoning;
  if (message.content) delta.content = message.content;
  if (message.tool_calls) {
    delta.toolCalls = message.tool_calls.map((call, index) => ({
      index,
      ...call,
    }));
  }
  if (choice.finish_reason) delta.finishReason = choice.finish_reason;
  if (completion.usage) delta.usage = completion.usage;
  return delta;
}

function carriesTokens(delta: StreamDelta): boolean {
  return delta.content !== undefined || delta.reasoning !== undefined ||
    delta.toolCalls !== undefined;
}

/** Attaches what arrived to a typed error; wraps anything else first. */
function withPartial(
  error: unknown,
  partial: ChatCompletion | undefined,
): GptOssError {
  const typed = error instanceof GptOssError
    ? error
    : new GptOssError(`Reading the stream failed: ${String(error)}`, {
      cause: error,
    });
  if (partial && !typed.partial) typed.partial = partial;
  return typed;
}
