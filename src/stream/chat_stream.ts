/**
 * A streamed chat completion: iterate it for deltas as they arrive, or ask it
 * for the assembled completion. The request starts on first use; leaving the
 * `for await` loop early cancels it.
 *
 * @module
 */

import {
  streamBody,
  type StreamBodyFormat,
  type StreamBodyOptions,
} from "./stream_body.ts";
import { normaliseCompletion } from "../api/chat/completion.ts";
import { errorFromBody, excerpt, readServerError } from "../http/error_body.ts";
import { GptOssError, InvalidResponseError } from "../errors/mod.ts";
import { ChatEventDecoder } from "../api/chat/event_decoder.ts";
import {
  bodyFailure,
  DEFAULT_MAX_RESPONSE_BYTES,
  type OpenResponse,
  parseJson,
  readBody,
} from "../http/request.ts";
import { computeStats } from "./stats.ts";
import type { ChatCompletion, StreamDelta, TruncationInfo } from "../types.ts";

/** A started request: the response, its watchdog, and what was trimmed to send it. */
export interface OpenedStream extends OpenResponse {
  truncation?: TruncationInfo;
}

/** Starts the request behind a stream; called once, on first use. */
export type StreamOpener = () => Promise<OpenedStream>;

/** What a {@link ChatStream} knows besides how to start its request. */
export interface ChatStreamOptions {
  /** The request's URL as it may be shown. */
  url: string;
  /** What the client dropped to fit the context window, when known before the start. */
  truncation?: TruncationInfo;
  /** Hides secrets in an error before anyone sees it. */
  scrub?: (error: unknown) => unknown;
  /** Split raw harmony found in `content` (default `true`). */
  splitHarmony?: boolean;
  /** The largest whole body, or single event, read into memory. */
  maxResponseBytes?: number;
}

/**
 * A streamed chat completion, returned by `GptOssClient.streamResponse`.
 * It can be iterated once; {@link ChatStream.completion} works before, during
 * or after the iteration.
 *
 * @example Printing reasoning and answer as they arrive
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 *
 * await using server = await startMockServer();
 * const client = new GptOssClient({ baseUrl: server.url });
 * const stream = client.streamResponse([{ role: "user", content: "Hello" }]);
 * for await (const delta of stream) {
 *   if (delta.reasoning) console.error(delta.reasoning);
 *   if (delta.content) console.log(delta.content);
 * }
 * const completion = await stream.completion();
 * console.log(completion.choices[0].finish_reason, completion.stats?.timeToFirstTokenMs);
 * ```
 */
export class ChatStream implements AsyncIterable<StreamDelta> {
  readonly #open: StreamOpener;
  readonly #url: string;
  readonly #scrub: (error: unknown) => unknown;
  readonly #splitHarmony: boolean;
  readonly #maxResponseBytes: number;
  #truncation: TruncationInfo | undefined;
  #started = false;
  readonly #result: Promise<ChatCompletion>;
  #resolve!: (completion: ChatCompletion) => void;
  #reject!: (error: unknown) => void;
  #startedAt = 0;
  #firstTokenAt: number | undefined;

  /**
   * Wraps a request that has not started yet; `GptOssClient.streamResponse` creates these.
   *
   * @param open Starts the request.
   * @param options The URL, the truncation, and how to hide secrets in errors.
   */
  constructor(open: StreamOpener, options: ChatStreamOptions) {
    this.#open = open;
    this.#url = options.url;
    this.#scrub = options.scrub ?? ((error) => error);
    this.#splitHarmony = options.splitHarmony !== false;
    this.#maxResponseBytes = options.maxResponseBytes ??
      DEFAULT_MAX_RESPONSE_BYTES;
    this.#truncation = options.truncation;
    this.#result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Handled here so that a failure nobody asked for is not an unhandled rejection.
    this.#result.catch(() => {});
  }

  /**
   * What the client dropped to fit the context window, if anything. With
   * `maxContextSize: "auto"` it is known once the request has started.
   */
  get truncation(): TruncationInfo | undefined {
    return this.#truncation;
  }

  /**
   * The deltas, in order. Leaving the loop early cancels the request.
   *
   * @returns An iterator over the stream's deltas.
   * @throws {GptOssError} Once: a second iteration is a mistake.
   */
  [Symbol.asyncIterator](): AsyncIterator<StreamDelta> {
    if (this.#started) {
      throw new GptOssError(
        "This ChatStream has already been read. Call completion() for its result, or start a new request.",
      );
    }
    this.#started = true;
    return this.#run();
  }

  /**
   * The stream as bytes to send on, to a browser for example: one JSON
   * object per line (`"ndjson"`, the default) or server-sent events
   * (`"sse"`), with reasoning and content apart, a last message that says how
   * it ended, and an error sent as a message rather than a broken connection.
   * Cancelling the bytes cancels the request.
   *
   * @param format `"ndjson"` or `"sse"`.
   * @param options What an error says: its own message unless
   * `errorMessage` gives another.
   * @returns A web `ReadableStream` for a `Response` body.
   *
   * @example Relaying a stream from an edge function
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * await using server = await startMockServer();
   * const client = new GptOssClient({ baseUrl: server.url });
   * const stream = client.streamResponse([{ role: "user", content: "Hi" }]);
   * const response = new Response(stream.toReadableStream("ndjson"), {
   *   headers: { "content-type": "application/x-ndjson" },
   * });
   * console.log((await response.text()).split("\n").at(-2)); // {"done":true,"finishReason":"stop",…}
   * ```
   */
  toReadableStream(
    format: StreamBodyFormat = "ndjson",
    options: StreamBodyOptions = {},
  ): ReadableStream<Uint8Array> {
    return streamBody(this, format, options);
  }

  /**
   * The assembled completion, in the same shape `generateResponse` returns,
   * with the client's `stats` (time to first token, tokens per second).
   * Reads the stream itself when nobody iterates it. If the caller stopped
   * reading early, it resolves to what arrived, marked `incomplete`.
   *
   * @returns The completion.
   * @throws {GptOssError} The error that ended the stream, with what arrived in `partial`.
   */
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
    const decoder = new ChatEventDecoder({
      splitHarmony: this.#splitHarmony,
      maxEventLength: this.#maxResponseBytes,
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
      opened = await this.#open();
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
          throw withPartial(bodyFailure(watchdog, this.#url, cause), partial());
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
      // Frees the socket; after [DONE] there is nothing left to read.
      reader.cancel().catch(() => {});
    }
  }

  /** Adds what the client knows to an assembled completion. */
  #finish(completion: ChatCompletion): ChatCompletion {
    if (this.#truncation) completion.truncation = this.#truncation;
    completion.stats = computeStats({
      startedAt: this.#startedAt,
      ...(this.#firstTokenAt === undefined
        ? {}
        : { firstTokenAt: this.#firstTokenAt }),
      endedAt: performance.now(),
    }, completion);
    return completion;
  }

  /** Hides secrets in the error, rejects the result with it, and returns it. */
  #fail(error: unknown): unknown {
    const shown = this.#scrub(error);
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
    let completion: ChatCompletion;
    try {
      let raw: string;
      try {
        raw = await readBody(
          response,
          watchdog,
          this.#url,
          this.#maxResponseBytes,
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
      const body = parseJson(raw, contentType);
      if (readServerError(body)) {
        throw errorFromBody(
          { status: response.status, url: this.#url },
          excerpt(raw),
          body,
        );
      }
      completion = normaliseCompletion(body, raw, {
        splitHarmony: this.#splitHarmony,
      });
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
