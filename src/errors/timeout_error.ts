/**
 * A server slower than the timeout.
 *
 * @module
 */

import { GptOssError, type GptOssErrorOptions } from "./gptoss_error.ts";

/**
 * Which limit a {@link TimeoutError} hit: the wait for response headers, the
 * silence between two pieces of a stream, or the whole request.
 *
 * @example Naming the limit that ran out
 * ```ts
 * import type { TimeoutLimit } from "@gptoss/client";
 * const limit: TimeoutLimit = "idle";
 * ```
 */
export type TimeoutLimit = "headers" | "idle" | "total";

/**
 * The server took longer than the timeout. The request is cancelled and its
 * socket freed before this is thrown.
 *
 * @example Reading which timeout ran out
 * ```ts
 * import { GptOssClient, TimeoutError } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * await using server = await startMockServer();
 * server.enqueue({ json: {}, stallMs: 500 }); // the headers come late
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b", timeout: 50, maxRetries: 0 });
 * await assert.rejects(
 *   client.generateResponse([{ role: "user", content: "Hi" }]),
 *   (error) => error instanceof TimeoutError && error.limit === "headers" && error.timeoutMs === 50,
 * );
 * ```
 */
export class TimeoutError extends GptOssError {
  /** Which limit was hit. */
  readonly limit: TimeoutLimit;
  /** The limit's value in milliseconds. */
  readonly timeoutMs: number;
  /** The URL of the request, credentials removed. */
  readonly url: string;

  /**
   * Creates the error.
   *
   * @param limit Which limit was hit.
   * @param timeoutMs The limit's value in milliseconds.
   * @param url The URL of the request.
   * @param options A partial completion when a stream stalled.
   */
  constructor(
    limit: TimeoutLimit,
    timeoutMs: number,
    url: string,
    options: GptOssErrorOptions = {},
  ) {
    const what = limit === "headers"
      ? "took more than TIME to start answering"
      : limit === "idle"
      ? "went silent for more than TIME in the middle of its answer"
      : "took more than TIME to finish";
    super(
      `${url} ${
        what.replace("TIME", `${timeoutMs} ms`)
      }. Raise the timeout option (timeout.${limit}), or check that the server is not overloaded.`,
      options,
    );
    this.limit = limit;
    this.timeoutMs = timeoutMs;
    this.url = url;
  }
}
