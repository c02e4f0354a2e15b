/**
 * Waits for a shared promise on behalf of one caller, who may stop waiting
 * through its signal without cancelling the work for the others.
 *
 * @module
 */

import { AbortError } from "../errors/mod.ts";

/**
 * @param promise The shared work.
 * @param signal The caller's signal.
 * @returns The work's result, or an {@link AbortError} as soon as the signal aborts.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    return Promise.reject(new AbortError({ cause: signal.reason }));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError({ cause: signal.reason }));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
