/**
 * One request's cancellation: the caller's `AbortSignal` and the timeout,
 * first for the response headers, then for each silence in the body. Either
 * one aborts the `fetch` (which frees the socket) and is remembered, so that
 * the failure it causes is reported as the typed error it stands for.
 *
 * @module
 */

import { AbortError, type GptOssError, TimeoutError } from "./errors/mod.ts";

/** Watches one request. Call {@link RequestWatchdog.dispose} when it is over. */
export class RequestWatchdog {
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  readonly #url: string;
  readonly #callerSignal: AbortSignal | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #streaming = false;
  #lastActivity = 0;
  #fired: GptOssError | undefined;

  /**
   * @param timeoutMs The limit for the headers and for each silence after them.
   * @param url The request's URL as it may be shown.
   * @param callerSignal The caller's signal, if any.
   */
  constructor(timeoutMs: number, url: string, callerSignal?: AbortSignal) {
    this.#timeoutMs = timeoutMs;
    this.#url = url;
    this.#callerSignal = callerSignal;
    if (callerSignal?.aborted) {
      this.#fire(new AbortError({ cause: callerSignal.reason }));
      return;
    }
    callerSignal?.addEventListener("abort", this.#onCallerAbort, {
      once: true,
    });
    this.#timer = setTimeout(this.#check, timeoutMs);
  }

  /** The signal to give `fetch`. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The error that stopped the request, once the caller or a timeout did. */
  get fired(): GptOssError | undefined {
    return this.#fired;
  }

  /** The headers arrived: from now on the limit applies to each silence. */
  headersReceived(): void {
    this.#streaming = true;
    this.#lastActivity = Date.now();
  }

  /** Something arrived: the silence starts again. Cheap enough for every chunk. */
  touch(): void {
    this.#lastActivity = Date.now();
  }

  /** Stops watching: clears the timer and lets go of the caller's signal. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#callerSignal?.removeEventListener("abort", this.#onCallerAbort);
  }

  /** Aborts the request, for a caller that stopped reading. */
  abort(): void {
    this.dispose();
    if (!this.#controller.signal.aborted) this.#controller.abort();
  }

  #onCallerAbort = (): void => {
    this.#fire(new AbortError({ cause: this.#callerSignal?.reason }));
  };

  // One timer per request, re-armed only when it fires: resetting a timer on
  // every chunk would cost a timer operation per token.
  #check = (): void => {
    this.#timer = undefined;
    if (!this.#streaming) {
      this.#fire(new TimeoutError("headers", this.#timeoutMs, this.#url));
      return;
    }
    const silence = Date.now() - this.#lastActivity;
    if (silence >= this.#timeoutMs) {
      this.#fire(new TimeoutError("idle", this.#timeoutMs, this.#url));
    } else this.#timer = setTimeout(this.#check, this.#timeoutMs - silence);
  };

  #fire(error: GptOssError): void {
    if (this.#fired) return;
    this.#fired = error;
    this.dispose();
    this.#controller.abort(error);
  }
}
