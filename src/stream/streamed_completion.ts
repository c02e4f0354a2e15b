/**
 * The {@link ChatStream} the client returns: it starts its request on first
 * use, reads the body with the wire API's decoder, hands each delta to the
 * caller as it is decoded, and settles `completion()` with the assembled
 * answer, or with what arrived when the stream broke or the caller left.
 *
 * Its iterator is written out rather than an async generator, whose
 * `return()` waits for a pending `next()`: here every way to stop (`break`,
 * `return()`, cancelling a body made with `toReadableStream`, the caller's
 * signal) ends the request at once, whatever the server is doing. Deltas
 * decoded from one read wait in a queue, so that a failure in the same read
 * is thrown only after them. The first delta is handed out before the rest
 * of its read is decoded (a short answer often arrives in one read), and
 * that rest is decoded before anything else is decided: the caller sees
 * what it would had the read been decoded whole. After the end marker the
 * body is read on to its end, briefly, so that its connection is kept for
 * the next request.
 *
 * @module
 */

import {
  AbortError,
  GptOssError,
  InvalidResponseError,
} from "../errors/mod.ts";
import { excerpt } from "../http/error_body.ts";
import { cancelWake, type Sleeper, wakeAt } from "../http/shared_timer.ts";
import { bodyFailure, parseJson, readBody } from "../http/read_body.ts";
import type { OpenResponse } from "../http/request.ts";
import type { ChatCompletion, StreamDelta, Truncation } from "../types.ts";
import type { ChatStream } from "./chat_stream.ts";
import type { AnswerReader, StreamDecoder } from "./decoder.ts";
import { finishCompletion } from "./stats.ts";
import {
  carriesTokens,
  deltasOf,
  emptyCompletion,
  withPartial,
} from "./stream_results.ts";
import {
  streamBody,
  type StreamBodyFormat,
  type StreamBodyOptions,
} from "./stream_body.ts";

/** A started request: the response, its watchdog, and what was trimmed to send it. */
export interface OpenedStream extends OpenResponse {
  truncation?: Truncation;
  /** Adds what the client knows of the request to the assembled completion. */
  review?: (completion: ChatCompletion) => void;
}

/** Everything a stream needs from the client. */
export interface StreamSource {
  /**
   * Starts the request; called once, on first use.
   *
   * @param stop Aborted when the caller stops reading: the request must end with it.
   */
  open(stop: AbortSignal): Promise<OpenedStream>;
  /** The request's URL as it may be shown. */
  url: string;
  /** How the wire API's answers are read. */
  reader: AnswerReader;
  /** What the client dropped to fit the context window, when known before the start. */
  truncation?: Truncation;
  /** As {@link OpenedStream.review}, when known before the start. */
  review?: (completion: ChatCompletion) => void;
  /** Hides secrets in an error before anyone sees it. */
  scrub(error: unknown): unknown;
  /** Split raw harmony found in the answer's text. */
  splitHarmony: boolean;
  /** The largest whole body, or single event, read into memory. */
  maxResponseBytes: number;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({
  done: true,
  value: undefined,
});

/**
 * How long, and how many bytes more, a stream reads after its end marker
 * for the end of the body: a body read to its end leaves the connection to
 * the next request, where one cancelled short of it is closed (a new
 * connection, and for HTTPS a new handshake, for every request). Servers
 * end the body right after the marker.
 */
const PAST_END_MS = 100;
const PAST_END_BYTES = 64 * 1024;

/** Why the request behind a stream is stopped when its caller leaves: never shown. */
const CALLER_LEFT = Object.freeze({ reason: "the caller stopped reading" });

/** A streamed completion; create it with the client's source. */
export class StreamedCompletion implements ChatStream {
  readonly #source: StreamSource;
  #truncation: Truncation | undefined;
  #review: ((completion: ChatCompletion) => void) | undefined;
  #claimed = false;
  readonly #result: Promise<ChatCompletion>;
  #resolve!: (completion: ChatCompletion) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  #startedAt = 0;
  #firstTokenAt: number | undefined;

  #state: "new" | "reading" | "ended" = "new";
  readonly #stop = new AbortController();
  #opened: OpenedStream | undefined;
  #body: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #decoder: StreamDecoder | undefined;
  readonly #text = new TextDecoder();
  /** Deltas decoded and not yet handed out; `#queueAt` is the next one. */
  #queue: StreamDelta[] = [];
  #queueAt = 0;
  /** The error to throw once the queue is empty. */
  #failure: unknown;
  #inFlight: Promise<void> | undefined;
  #draining = false;
  /** Whether a delta has been queued yet. */
  #firstDelta = false;
  /** How many more lines are decoded one by one while no delta has come. */
  #linesToFirstDelta = 64;
  /** The part of the first read after its first delta, not decoded yet, and when it came. */
  #rest: string | undefined;
  #restAt = 0;
  /** When the text being decoded arrived, if earlier than now: the end is timed by it. */
  #arrivedAt: number | undefined;
  /** Past the end marker, reading on to the body's end: the wake-up that gives up. */
  #pastEnd: Sleeper | undefined;
  #pastEndBytes = 0;
  /** When the end marker came: the stream is timed by it. */
  #endedAt: number | undefined;

  /** @param source The request and how to read it. */
  constructor(source: StreamSource) {
    this.#source = source;
    this.#truncation = source.truncation;
    this.#review = source.review;
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
    if (this.#claimed) {
      throw new GptOssError(
        "This ChatStream has already been read. Call completion() for its result, or start a new request.",
      );
    }
    this.#claimed = true;
    const iterator: AsyncIterableIterator<StreamDelta> = {
      next: () => this.#next(),
      return: () => this.#leave(),
      throw: () => this.#leave(),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  toReadableStream(
    format: StreamBodyFormat = "ndjson",
    options: StreamBodyOptions = {},
  ): ReadableStream<Uint8Array> {
    return streamBody(this, format, options);
  }

  completion(): Promise<ChatCompletion> {
    this.#claimed = true;
    if (!this.#draining) {
      // Whoever took deltas before, the rest is read here: each is also accumulated.
      this.#draining = true;
      (async () => {
        while (!(await this.#next()).done) { /* accumulated */ }
      })().catch(() => {/* the same error rejects the result */});
    }
    return this.#result;
  }

  /** The next delta; pulls run one at a time, in the order they were asked for. */
  #next(): Promise<IteratorResult<StreamDelta>> {
    // A delta read ahead is handed out at once, unless the caller aborted
    // meanwhile (then #pull ends the stream, queue or not).
    if (
      this.#inFlight === undefined && this.#queueAt < this.#queue.length &&
      this.#opened?.watchdog.fired === undefined
    ) {
      return Promise.resolve({
        value: this.#queue[this.#queueAt++],
        done: false,
      });
    }
    // With no pull running, this one starts now, without a hop through an
    // extra promise: one event per read pays for every promise made here.
    const run = this.#inFlight === undefined
      ? this.#pull()
      : this.#inFlight.then(() => this.#pull());
    const settled = () => {
      if (this.#inFlight === inFlight) this.#inFlight = undefined;
    };
    const inFlight: Promise<void> = run.then(settled, settled);
    this.#inFlight = inFlight;
    return run;
  }

  async #pull(): Promise<IteratorResult<StreamDelta>> {
    for (;;) {
      const fired = this.#opened?.watchdog.fired;
      if (fired instanceof AbortError && this.#state === "reading") {
        // What had arrived is decoded first: it may have ended the stream,
        // and an abort after the end marker changes nothing.
        this.#catchUp();
        if (this.#state === "reading" && this.#pastEnd === undefined) {
          // The caller aborted while not waiting on us: stop now, queue or not.
          this.#queueAt = this.#queue.length;
          this.#fail(fired);
        }
      }
      if (this.#queueAt < this.#queue.length) {
        return { value: this.#queue[this.#queueAt++], done: false };
      }
      if (this.#failure !== undefined) {
        const failure = this.#failure;
        this.#failure = undefined;
        throw failure;
      }
      if (this.#state === "ended") return DONE;
      if (this.#rest !== undefined) this.#catchUp();
      else await this.#fill();
    }
  }

  /** Reads until at least one delta is queued, or the stream fails or ends. Never throws. */
  async #fill(): Promise<void> {
    try {
      if (this.#state === "new") await this.#open();
      const body = this.#body;
      const watchdog = this.#opened?.watchdog;
      if (this.#state !== "reading" || !body || !watchdog) return;
      if (this.#queueAt === this.#queue.length) {
        this.#queue = [];
        this.#queueAt = 0;
      }
      while (this.#queueAt === this.#queue.length) {
        let read: ReadableStreamReadResult<Uint8Array>;
        watchdog.waiting();
        try {
          read = await body.read();
        } catch (cause) {
          if (this.#state !== "reading") return;
          // Past the end marker, a broken body changes nothing.
          if (this.#pastEnd !== undefined) this.#end(this.#decoder!);
          else this.#fail(bodyFailure(watchdog, this.#source.url, cause));
          return;
        } finally {
          watchdog.received();
        }
        if (this.#state !== "reading") return; // the caller left meanwhile
        if (this.#pastEnd !== undefined) {
          // What follows the end marker is read to its end, not decoded.
          if (
            read.done ||
            (this.#pastEndBytes += read.value.byteLength) > PAST_END_BYTES
          ) {
            this.#end(this.#decoder!);
            return;
          }
          continue;
        }
        // A character cut by the end of the body decodes as U+FFFD, as a
        // TextDecoderStream would.
        const piece = read.done
          ? this.#text.decode()
          : this.#text.decode(read.value, { stream: true });
        if (this.#firstDelta || read.done) this.#digest(piece, read.done);
        else this.#digestToFirstDelta(piece);
        if (this.#state !== "reading") return; // ended or failed
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Decodes text that arrived; the end of the stream, or its failure, is taken here. */
  #digest(piece: string, bodyDone: boolean): void {
    if (this.#pastEnd !== undefined) return; // after the end marker
    const decoder = this.#decoder!;
    if (piece !== "") this.#enqueue(decoder.feed(piece));
    if (decoder.failure) {
      this.#enqueue(decoder.flush());
      this.#fail(decoder.failure);
    } else if (bodyDone) this.#end(decoder);
    else if (decoder.done) this.#readToBodyEnd();
  }

  /**
   * The end marker came before the end of the body: the stream reads on to
   * it (not decoding), for at most {@link PAST_END_MS} and
   * {@link PAST_END_BYTES}, then ends, timed by the marker.
   */
  #readToBodyEnd(): void {
    const body = this.#body!;
    this.#endedAt = this.#arrivedAt ?? performance.now();
    // Cancelling settles a pending read as done: the read loop then ends.
    const sleeper: Sleeper = {
      due: 0,
      wake: () => void body.cancel().catch(ignore),
    };
    wakeAt(sleeper, Date.now() + PAST_END_MS);
    this.#pastEnd = sleeper;
  }

  /**
   * Decodes a read line by line up to the stream's first delta, which is then
   * handed out at once; the rest of the read waits in {@link #rest} until the
   * caller asks for more or stops. A short answer often arrives whole in one
   * read: decoding its later events and ending the stream came before its
   * first delta.
   */
  #digestToFirstDelta(piece: string): void {
    let from = 0;
    while (from < piece.length && this.#state === "reading") {
      // Line by line for the first lines only: a stream that opens with a
      // flood of keep-alives is decoded in one piece after them.
      const lineEnd = this.#linesToFirstDelta-- > 0
        ? piece.indexOf("\n", from)
        : -1;
      const to = lineEnd < 0 ? piece.length : lineEnd + 1;
      this.#digest(
        from === 0 && to === piece.length ? piece : piece.slice(from, to),
        false,
      );
      from = to;
      if (this.#firstDelta) break;
    }
    if (from < piece.length && this.#state === "reading") {
      this.#rest = piece.slice(from);
      this.#restAt = performance.now();
    }
  }

  /** Decodes what the first read left for later ({@link #digestToFirstDelta}). */
  #catchUp(): void {
    const rest = this.#rest;
    if (rest === undefined) return;
    this.#rest = undefined;
    if (this.#state !== "reading") return;
    // Ended by it, the stream ended when it came, not when the caller came back.
    this.#arrivedAt = this.#restAt;
    try {
      this.#digest(rest, false);
    } catch (error) {
      this.#fail(error); // as in #fill: whatever the decoder throws ends the stream
    } finally {
      this.#arrivedAt = undefined;
    }
  }

  async #open(): Promise<void> {
    const source = this.#source;
    this.#startedAt = performance.now();
    this.#decoder = source.reader.stream({
      splitHarmony: source.splitHarmony,
      maxEventLength: source.maxResponseBytes,
    });
    this.#state = "reading";
    let opened: OpenedStream;
    try {
      opened = await source.open(this.#stop.signal);
    } catch (error) {
      if (this.#state === "reading") this.#fail(error);
      return;
    }
    if (this.#state !== "reading") {
      // The caller left while the request was being made.
      opened.watchdog.abort();
      opened.response.body?.cancel().catch(ignore);
      return;
    }
    this.#opened = opened;
    if (opened.truncation) this.#truncation = opened.truncation;
    if (opened.review) this.#review = opened.review;
    const contentType = opened.response.headers.get("content-type") ?? "";
    const whole = this.#source.reader.readsWhole?.(contentType) ??
      (contentType.includes("json") || contentType.startsWith("text/html"));
    if (whole) {
      await this.#readWhole(opened, contentType);
      return;
    }
    // The bytes are decoded here rather than through a TextDecoderStream:
    // the same decoding, without a transform stream and a pipe per request
    // (bench/README.md: about 0.1 ms less to the first delta of each request).
    this.#body = opened.response.body!.getReader();
  }

  /**
   * A server that ignored `stream: true` and answered with one JSON body, or
   * a proxy's HTML page with a 200 status.
   */
  async #readWhole(
    { response, watchdog }: OpenResponse,
    contentType: string,
  ): Promise<void> {
    const source = this.#source;
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
    const completion = source.reader.whole(
      parseJson(raw, contentType),
      raw,
      { status: response.status, url: source.url },
      source,
    );
    this.#enqueue(deltasOf(completion));
    this.#state = "ended";
    this.#settle(() => this.#resolve(this.#finish(completion)));
  }

  /** Queues decoded deltas (copied: the decoder reuses its array). */
  #enqueue(deltas: StreamDelta[] | StreamDelta | undefined): void {
    if (deltas === undefined) return;
    const list = Array.isArray(deltas) ? deltas : [deltas];
    for (const delta of list) {
      if (this.#firstTokenAt === undefined && carriesTokens(delta)) {
        this.#firstTokenAt = performance.now();
      }
      this.#queue.push(delta);
    }
    if (list.length > 0) this.#firstDelta = true;
  }

  /** The body is over: complete, or cut before its end. */
  #end(decoder: StreamDecoder): void {
    this.#enqueue(decoder.flush());
    // A last line without its line end may still hold an error.
    if (decoder.failure) {
      this.#fail(decoder.failure);
      return;
    }
    if (!decoder.end()) {
      this.#fail(
        new InvalidResponseError(
          "The stream ended before its end (no end marker and no finish reason).",
        ),
      );
      return;
    }
    this.#state = "ended";
    this.#release(false);
    this.#settle(() =>
      this.#resolve(this.#finish(decoder.accumulator.result()))
    );
  }

  /** The stream failed: what arrived goes with the error, which is thrown after the queue. */
  #fail(error: unknown): void {
    const decoder = this.#decoder;
    decoder?.flush();
    const partial = decoder && !decoder.accumulator.empty
      ? this.#finish(decoder.accumulator.result(true))
      : undefined;
    const shown = this.#source.scrub(withPartial(error, partial));
    this.#failure = shown;
    this.#state = "ended";
    this.#release(true);
    this.#settle(() => this.#reject(shown));
  }

  /** The caller stopped reading: the request ends now, the result is what arrived. */
  #leave(): Promise<IteratorResult<StreamDelta>> {
    // What had arrived is decoded first: it may have ended the stream.
    this.#catchUp();
    // Past the end marker the answer is whole: the body is let go unread.
    if (this.#pastEnd !== undefined && this.#state === "reading") {
      this.#end(this.#decoder!);
    }
    if (this.#state !== "ended") {
      const decoder = this.#decoder;
      decoder?.flush();
      this.#state = "ended";
      this.#queueAt = this.#queue.length;
      this.#stop.abort(CALLER_LEFT);
      this.#release(true);
      this.#settle(() =>
        this.#resolve(
          this.#finish(
            decoder?.accumulator.result(true) ?? emptyCompletion(),
          ),
        )
      );
    }
    return Promise.resolve(DONE);
  }

  /** Lets go of the response: cancels the body, and aborts the request unless it ended well. */
  #release(abort: boolean): void {
    const watchdog = this.#opened?.watchdog;
    if (abort) watchdog?.abort();
    else watchdog?.dispose();
    if (this.#pastEnd !== undefined) cancelWake(this.#pastEnd);
    // A body read to its end is already released; one cut short is closed.
    this.#body?.cancel().catch(ignore);
  }

  #settle(settle: () => void): void {
    if (this.#settled) return;
    this.#settled = true;
    settle();
  }

  /** Adds what the client knows to an assembled completion. */
  #finish(completion: ChatCompletion): ChatCompletion {
    const finished = finishCompletion(completion, {
      startedAt: this.#startedAt,
      ...(this.#firstTokenAt === undefined
        ? {}
        : { firstTokenAt: this.#firstTokenAt }),
      endedAt: this.#endedAt ?? this.#arrivedAt ?? performance.now(),
    }, this.#truncation);
    this.#review?.(finished);
    return finished;
  }
}

function ignore(): void {}
