/**
 * A server's error answer.
 *
 * @module
 */

import { GptOssError, type GptOssErrorOptions } from "./gptoss_error.ts";

/**
 * Details of a server's error answer.
 *
 * @example Describing a server's error reply
 * ```ts
 * import type { ApiErrorDetails } from "@gptoss/client";
 * const details: ApiErrorDetails = { status: 404, serverMessage: "model not found", body: "{}" };
 * ```
 */
export interface ApiErrorDetails {
  /** The HTTP status (200 for an error sent inside a stream). */
  status: number;
  /** The server's own message, or the status text when it gave none. */
  serverMessage: string;
  /** The raw body, cut to a sane size. */
  body: string;
  /** The server's error type, when it gave one. */
  type?: string;
  /** The server's error code, when it gave one. */
  code?: string | number;
  /** The request id from the `x-request-id` header, when present. */
  requestId?: string;
  /** The URL of the request, credentials removed. */
  url?: string;
  /** How long the server asked to wait before trying again (`retry-after-ms`, `Retry-After`). */
  retryAfterMs?: number;
}

/**
 * The server answered with an error status, or sent an error object inside a
 * stream.
 *
 * @example Reading a server's error
 * ```ts
 * import { ApiError } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const error = new ApiError({ status: 404, serverMessage: "model 'x' not found", body: "" });
 * assert.equal(error.status, 404);
 * assert.match(error.message, /model 'x' not found/);
 * ```
 */
export class ApiError extends GptOssError {
  /** The HTTP status. */
  readonly status: number;
  /** The server's own message. */
  readonly serverMessage: string;
  /** The raw body, cut to a sane size. */
  readonly body: string;
  /** The server's error type, when it gave one. */
  declare readonly type?: string;
  /** The server's error code, when it gave one. */
  declare readonly code?: string | number;
  /** The request id, when the server sent one. */
  declare readonly requestId?: string;
  /** The URL of the request, credentials removed. */
  declare readonly url?: string;
  /** How long the server asked to wait before trying again, in milliseconds. */
  declare readonly retryAfterMs?: number;

  /**
   * Creates the error.
   *
   * @param details What the server answered.
   * @param options A partial completion when the error came mid-stream.
   */
  constructor(details: ApiErrorDetails, options: GptOssErrorOptions = {}) {
    super(
      `The server answered ${details.status}: ${
        sentence(details.serverMessage)
      }${adviceFor(details.status, details.serverMessage)}`,
      options,
    );
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    this.body = details.body;
    if (details.type !== undefined) this.type = details.type;
    if (details.code !== undefined) this.code = details.code;
    if (details.requestId !== undefined) this.requestId = details.requestId;
    if (details.url !== undefined) this.url = details.url;
    if (details.retryAfterMs !== undefined) {
      this.retryAfterMs = details.retryAfterMs;
    }
  }
}

/** The server's message as a sentence, so that the advice after it reads apart. */
function sentence(message: string): string {
  const text = message.trim();
  return /[.!?…)\]"']$/.test(text) ? text : `${text}.`;
}

function adviceFor(status: number, message: string): string {
  // vLLM without its response store (Responses API, previous_response_id).
  if (status === 404 && /^Response with id .* not found/.test(message)) {
    return " vLLM keeps responses only when it runs with VLLM_ENABLE_RESPONSES_API_STORE=1; without previousResponseId the client sends the whole history instead.";
  }
  if (status === 401 || status === 403) {
    return " Check the apiKey option (the server wants a valid key).";
  }
  if (status === 404) {
    return " Check the model name and the base URL (GET /v1/models lists the models).";
  }
  if (status === 429 || status >= 500) {
    return " The server is busy or failing; try again later.";
  }
  return "";
}
