/**
 * One request's cancellation: the caller's `AbortSignal` and three limits:
 * the wait for the response headers, each silence of the server while the
 * client waits for the body, and the call's overall deadline. Any of them
 * aborts the `fetch` (which frees the socket) and is remembered, so that the
 * failure it causes is reported as the typed error it stands for.
 *
 * The idle limit measures the server, not the caller: it runs only while a
 * read is waiting on the network ({@link RequestWatchdog.waiting} to
 * {@link RequestWatchdog.received}); time the caller spends with a delta
 * before asking for the next one never counts.
 *
 * @module
 */

import { AbortError, type GptOssError, TimeoutError } from "../errors/mod.ts";
import { cancelWake, type Sleeper, wakeAt, willWake } from "./shared_timer.ts";
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
  /** Its place on the shared timer. */
  readonly #sleeper: Sleeper = { due: 0, wake: () => this.#check() };
  /** When the request started (`Date.now()` time), for the headers' limit. */
  #startedAt = 0;
  #streaming = false;
  /** When the current wait on the network began; undefined while not waiting. */
  #waitingSince: number | undefined;
  #fired: GptOssError | undefined;
  #disposed = false;

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
    // One wake-up for the headers and then for the body's silences: at the
    // sooner of the two limits, and what is due is decided then (shared_timer.ts:
    // a timer of its own would cost more than the rest of a short request's
    // watching).
    this.#startedAt = Date.now();
    this.#arm(Math.min(timeouts.headers, timeouts.idle));
  }

  /** The signal to give `fetch`. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The error that stopped the request, once the caller or a timeout did. */
  get fired(): GptOssError | undefined {
    return this.#fired;
  }

  /** The headers arrived: from now on the idle limit applies to each wait for the body. */
  headersReceived(): void {
    // The timer runs on: due no later than an idle limit from now, it serves
    // the first wait for the body.
    this.#streaming = true;
  }

  /** A read is about to wait on the network: the idle limit runs. Cheap enough for every chunk. */
  waiting(): void {
    if (this.#disposed || this.#fired) return;
    const now = Date.now();
    this.#waitingSince = now;
    // One wake-up, moved only when it comes or must come sooner: one per
    // chunk would cost a timer operation per token.
    const sleeper = this.#sleeper;
    if (!willWake(sleeper) || now + this.#timeouts.idle < sleeper.due) {
      this.#arm(this.#timeouts.idle);
    }
  }

  /** The read got something (or the body ended): the idle limit stops until the next wait. */
  received(): void {
    this.#waitingSince = undefined;
  }

  /** Stops watching: leaves the shared timer and lets go of the caller's signal. */
  dispose(): void {
    this.#disposed = true;
    cancelWake(this.#sleeper);
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
    wakeAt(this.#sleeper, now + wait);
  }

  #check(): void {
    const now = Date.now();
    if (this.#deadline !== undefined && now >= this.#deadline) {
      this.#fire(
        new TimeoutError("total", this.#timeouts.total ?? 0, this.#url),
      );
      return;
    }
    if (!this.#streaming) {
      const waited = now - this.#startedAt;
      if (waited < this.#timeouts.headers) {
        this.#arm(this.#timeouts.headers - waited);
        return;
      }
      this.#fire(
        new TimeoutError("headers", this.#timeouts.headers, this.#url),
      );
      return;
    }
    const since = this.#waitingSince;
    if (since === undefined) {
      // Not waiting on the network: only the deadline can still run out.
      if (this.#deadline !== undefined) this.#arm(this.#deadline - now);
      return;
    }
    const silence = now - since;
    if (silence >= this.#timeouts.idle) {
      this.#fire(new TimeoutError("idle", this.#timeouts.idle, this.#url));
    } else this.#arm(this.#timeouts.idle - silence);
  }

  #fire(error: GptOssError): void {
    if (this.#fired) return;
    this.#fired = error;
    this.dispose();
    this.#controller.abort(error);
  }
}
