/**
 * A request the caller aborted.
 *
 * @module
 */

import { GptOssError, type GptOssErrorOptions } from "./gptoss_error.ts";

/**
 * The caller aborted the request through its `AbortSignal`, or stopped
 * reading a stream. A stream's partial completion is attached.
 *
 * @example Creating an abort error
 * ```ts
 * import { AbortError } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const reason = new Error("user cancelled");
 * const error = new AbortError({ cause: reason });
 * assert.equal(error.cause, reason); // the caller's reason, untouched
 * assert.equal(error.message, "The request was aborted (user cancelled).");
 * ```
 */
export class AbortError extends GptOssError {
  /**
   * Creates the error.
   *
   * @param options The reason and what a stream delivered before the abort.
   */
  constructor(options: GptOssErrorOptions = {}) {
    const why = describeReason(options.cause);
    super(
      `The request was aborted${why ? ` (${why})` : ""}${
        options.partial ? "; what arrived before is in error.partial" : ""
      }.`,
      options,
    );
  }
}

/** The caller's reason in words: a text, or an error's message. */
function describeReason(reason: unknown): string | undefined {
  let text: unknown = reason;
  if (reason instanceof Error || reason instanceof DOMException) {
    text = reason.message || reason.name;
  }
  if (typeof text !== "string" || text.trim() === "") return undefined;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
