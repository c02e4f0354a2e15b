/**
 * A malformed message from the caller.
 *
 * @module
 */

import { GptOssError } from "./gptoss_error.ts";

/**
 * A message passed to the client is malformed. Thrown before any request.
 *
 * @example Catching a malformed message
 * ```ts
 * import { GptOssClient, InvalidMessageError } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const client = new GptOssClient({ model: "gpt-oss-20b" });
 * const fromUntypedCode = [{ content: "hi" }] as never; // no role
 * await assert.rejects(
 *   client.generateResponse(fromUntypedCode),
 *   (error) => error instanceof InvalidMessageError && error.index === 0,
 * );
 * ```
 */
export class InvalidMessageError extends GptOssError {
  /** The position of the bad message in the array. */
  readonly index: number;

  /**
   * Creates the error.
   *
   * @param index The position of the bad message, or -1 for the array itself.
   * @param problem What is wrong and what is accepted.
   */
  constructor(index: number, problem: string) {
    super(index < 0 ? problem : `messages[${index}]: ${problem}`);
    this.index = index;
  }
}
