/**
 * Whether a server serves the Responses API, in one request that generates
 * nothing: `POST /v1/responses` with an `input` of the wrong type, which a
 * server that has the route rejects while checking the body (vLLM, Ollama
 * and LM Studio answer 400 or 422), before it looks at a model; a server
 * without the route answers 404 or 405 (vLLM before 0.10, Ollama before
 * 0.13.3).
 *
 * @module
 */

import { ApiError } from "../errors/mod.ts";
import { callServer, type ServerCall } from "../http/request.ts";

/** The statuses of a route that does not exist. */
const ABSENT = new Set([404, 405, 501]);

/**
 * @returns Whether `/v1/responses` exists.
 * @throws {ConnectionError|TimeoutError|AbortError} When the server cannot be reached.
 */
export function servesResponses(call: ServerCall): Promise<boolean> {
  return callServer({ ...call, maxRetries: 0 }, "/v1/responses", { input: 0 })
    .then(
      () => true,
      (error) => {
        if (error instanceof ApiError) return !ABSENT.has(error.status);
        throw error;
      },
    );
}

/** @returns Whether an error of a Responses API request says the route is missing. */
export function isResponsesRouteMissing(error: unknown): boolean {
  return error instanceof ApiError && ABSENT.has(error.status) &&
    !/model|response with id/i.test(error.serverMessage);
}
