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
 * import { GptOssClient, InvalidResponseError } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * await using server = await startMockServer();
 * server.enqueue({ text: "<html>Bad gateway</html>", headers: { "content-type": "text/html" } });
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
 * await assert.rejects(
 *   client.generateResponse([{ role: "user", content: "Hi" }]),
 *   (error) => error instanceof InvalidResponseError && error.body === "<html>Bad gateway</html>",
 * );
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
