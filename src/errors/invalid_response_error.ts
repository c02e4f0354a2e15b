/**
 * An answer that is not what the protocol says.
 *
 * @module
 */

import { GptOssError, type GptOssErrorOptions } from "./gptoss_error.ts";

/**
 * The server's answer is not what the protocol says: not JSON, the wrong
 * shape, or a stream that ended before its end.
 *
 * @example Keeping the body that could not be read
 * ```ts
 * import { InvalidResponseError } from "@gptoss/client";
 * const error = new InvalidResponseError("The body is not JSON.", "<html>");
 * console.log(error.body);
 * ```
 */
export class InvalidResponseError extends GptOssError {
  /** The raw body or the offending event, cut to a sane size. */
  declare readonly body?: string;

  /**
   * Creates the error.
   *
   * @param problem What is wrong with the answer.
   * @param body The raw body or event.
   * @param options A partial completion when the answer was a stream.
   */
  constructor(
    problem: string,
    body?: string,
    options: GptOssErrorOptions = {},
  ) {
    super(
      `${problem} Is the base URL pointing at an OpenAI-compatible server (vLLM, Ollama, llama-server, LM Studio)?`,
      options,
    );
    if (body !== undefined) this.body = body;
  }
}
