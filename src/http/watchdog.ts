/**
 * One request's cancellation: the caller's `AbortSignal` and three limits:
 * the wait for the response headers, each silence in the body after them,
 * and the call's overall deadline. Any of them aborts the `fetch` (which
 * frees the socket) and is remembered, so that the failure it causes is
 * reported as the typed error it stands for.
 *
 * @module
 */

import { AbortError, type GptOssError, TimeoutError } from "../errors/mod.ts";
import type { TimeoutLimits } from "./timeouts.ts";

/** Why a request is aborted when its caller stopped reading: never shown. */
const CALLER_LEFT = Object.freeze({ reason: "the caller stopped reading" });

/** Watches one request. Call {@link RequestWatchdog.dispose} when it is over. */
export class RequestWatchdog {
  readonly #controller = new AbortController();
  readonly #timeouts: TimeoutLimits;
  readonly #deadline: number | undefined;
  readonly #url: string;
  readonly #callerSignal: AbortSignal | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerDue = 0;
  #streaming = false;
  #lastActivity = 0;
  #fired: GptOssError | undefined;

  /**
   * @param timeouts The limits for the headers and for each silence after them.
   * @param url The request's URL as it may be shown.
   * @param callerSignal The caller's signal, if any.
   * @param deadline When the whole call must be over (`Date.now()` time), if ever.
   */
  constructor(
    timeouts: TimeoutLimits,
    url: string,
    callerSignal?: AbortSignal,
    deadline?: number,
  ) {
    this.#timeouts = timeouts;
    this.#deadline = deadline;
    this.#url = url;
    this.#callerSignal = callerSignal;
    if (callerSignal?.aborted) {
      this.#fire(new AbortError({ cause: callerSignal.reason }));
      return;
    }
    if (deadline !== undefined && Date.now() >= deadline) {
      this.#fire(new TimeoutError("total", timeouts.total ?? 0, url));
      return;
    }
    callerSignal?.addEventListener("abort", this.#onCallerAbort, {
      once: true,
    });
    this.#arm(timeouts.headers);
  }

  /** The signal to give `fetch`. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The error that stopped the request, once the caller or a timeout did. */
  get fired(): GptOssError | undefined {
    return this.#fired;
  }

  /** The headers arrived: from now on the idle limit applies to each silence. */
  headersReceived(): void {
    this.#streaming = true;
    const now = Date.now();
    this.#lastActivity = now;
    // The timer set for the headers checks the silence when it fires; it is
    // replaced only when the idle limit would come first (timers are not free).
    if (
      this.#timer !== undefined && now + this.#timeouts.idle < this.#timerDue
    ) {
      clearTimeout(this.#timer);
      this.#arm(this.#timeouts.idle);
    }
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
    // A reason of our own: the default one is a DOMException, whose stack
    // trace costs more than the rest of a short request.
    if (!this.#controller.signal.aborted) this.#controller.abort(CALLER_LEFT);
  }

  #onCallerAbort = (): void => {
    this.#fire(new AbortError({ cause: this.#callerSignal?.reason }));
  };

  /** Wakes after `ms`, or at the deadline if that comes first. */
  #arm(ms: number): void {
    const now = Date.now();
    const untilDeadline = this.#deadline === undefined
      ? Infinity
      : this.#deadline - now;
    const wait = Math.max(0, Math.min(ms, untilDeadline));
    this.#timerDue = now + wait;
    this.#timer = setTimeout(this.#check, wait);
  }

  // One timer per request, re-armed only when it fires: resetting a timer on
  // every chunk would cost a timer operation per token.
  #check = (): void => {
    this.#timer = undefined;
    const now = Date.now();
    if (this.#deadline !== undefined && now >= this.#deadline) {
      this.#fire(
        new TimeoutError("total", this.#timeouts.total ?? 0, this.#url),
      );
      return;
    }
    if (!this.#streaming) {
      this.#fire(
        new TimeoutError("headers", this.#timeouts.headers, this.#url),
      );
      return;
    }
    const silence = now - this.#lastActivity;
    if (silence >= this.#timeouts.idle) {
      this.#fire(new TimeoutError("idle", this.#timeouts.idle, this.#url));
    } else this.#arm(this.#timeouts.idle - silence);
  };

  #fire(error: GptOssError): void {
    if (this.#fired) return;
    this.#fired = error;
    this.dispose();
    this.#controller.abort(error);
  }
}
