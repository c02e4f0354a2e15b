/**
 * Nothing answered, or the connection broke.
 *
 * @module
 */

import { GptOssError, type GptOssErrorOptions } from "./gptoss_error.ts";

/**
 * Nothing answered: the connection was refused, the host is unknown, or the
 * connection broke before or during the response.
 *
 * @example Creating a connection error
 * ```ts
 * import { ConnectionError, GptOssClient, silentLogger } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const client = new GptOssClient({ baseUrl: "http://127.0.0.1:9", maxRetries: 0, logger: silentLogger });
 * await assert.rejects(
 *   client.listModels(),
 *   (error) => error instanceof ConnectionError && error.beforeResponse,
 * );
 * ```
 */
export class ConnectionError extends GptOssError {
  /** The URL that could not be reached, credentials removed. */
  readonly url: string;

  /** What the runtime reported, such as "Connection refused (os error 111)". */
  readonly reason: string;
  /** `true` when nothing of the answer arrived: the request can be tried again safely. */
  readonly beforeResponse: boolean;

  /**
   * Creates the error.
   *
   * @param url The URL, credentials removed.
   * @param reason What the runtime reported.
   * @param options A cause, a partial completion, and `midway` when the
   * connection broke after the answer had started.
   */
  constructor(
    url: string,
    reason: string,
    options: GptOssErrorOptions & { midway?: boolean } = {},
  ) {
    super(
      options.midway
        ? `The connection to ${url} broke mid-stream (${reason}). What arrived is kept in error.partial for a stream; try the request again.`
        : `Cannot reach ${url} (${reason}). Is a server running there? Set baseUrl to the server's address.`,
      options,
    );
    this.url = url;
    this.reason = reason;
    this.beforeResponse = !options.midway;
  }
}
