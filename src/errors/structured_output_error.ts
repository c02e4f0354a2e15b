/**
 * An answer that should have been JSON of a given shape and is not.
 *
 * @module
 */

import { GptOssError, type GptOssErrorOptions } from "./gptoss_error.ts";

/**
 * The model's answer is not the JSON a response format asked for, or the
 * caller's validation rejected it. The raw answer is kept.
 *
 * @example Keeping the raw answer that is not JSON
 * ```ts
 * import { StructuredOutputError } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const error = new StructuredOutputError("Sure! Here it is", "it is not JSON");
 * assert.equal(error.raw, "Sure! Here it is");
 * ```
 */
export class StructuredOutputError extends GptOssError {
  /** The answer as the model wrote it. */
  readonly raw: string;

  /**
   * Creates the error.
   *
   * @param raw The answer text.
   * @param problem What is wrong with it.
   * @param options The parser's or validator's error as the cause, and
   * `strictSent` when the request already asked the server to enforce the
   * schema (the advice is then not to).
   */
  constructor(
    raw: string,
    problem: string,
    options: GptOssErrorOptions & { strictSent?: boolean } = {},
  ) {
    const { strictSent, ...rest } = options;
    super(
      `The answer is not the structured output asked for: ${problem}. The raw answer is in error.raw; ${
        strictSent
          ? "the server was asked to enforce the schema (strict: true) and some do not; a clearer prompt, an example in it, or a lower temperature helps."
          : "a json_schema response format with strict: true, or a clearer prompt, helps."
      }`,
      rest,
    );
    this.raw = raw;
  }
}
