/**
 * Ctrl-C: during an answer it stops that answer only; otherwise it ends the
 * program (exit code 130).
 *
 * @module
 */

/** Routes SIGINT to the answer in progress, or to `onIdle`. */
export class Interrupts implements Disposable {
  #current: AbortController | undefined;
  readonly #onIdle: () => void;
  readonly #listener = () => {
    if (this.#current && !this.#current.signal.aborted) this.#current.abort();
    else this.#onIdle();
  };

  /** @param onIdle What Ctrl-C does when no answer is in progress. */
  constructor(onIdle: () => void) {
    this.#onIdle = onIdle;
    try {
      Deno.addSignalListener("SIGINT", this.#listener);
    } catch { /* a platform without SIGINT */ }
  }

  /** A signal for one answer, which Ctrl-C aborts. */
  begin(): AbortSignal {
    this.#current = new AbortController();
    return this.#current.signal;
  }

  /** The answer is over: Ctrl-C goes back to `onIdle`. */
  end(): void {
    this.#current = undefined;
  }

  [Symbol.dispose](): void {
    try {
      Deno.removeSignalListener("SIGINT", this.#listener);
    } catch { /* never added */ }
  }
}
