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
 * assert.equal(error.cause, reason);
 * assert.equal(error.name, "AbortError");
 * ```
 */
export class AbortError extends GptOssError {
  /**
   * Creates the error.
   *
   * @param options The reason and what a stream delivered before the abort.
   */
  constructor(options: GptOssErrorOptions = {}) {
    super(
      options.partial
        ? "The request was aborted; what arrived before is in error.partial."
        : "The request was aborted.",
      options,
    );
  }
}
