/**
 * When and how long to wait before trying a request again: connection
 * failures before any response byte, and the statuses that say "busy" or
 * "try again" (408, 409, 429, 500, 502, 503, 504); never another 4xx.
 * Exponential backoff with jitter, or the server's own `retry-after-ms` /
 * `Retry-After` (seconds or an HTTP date) when it is sane.
 *
 * Follows openai-node's rules (0.5 s doubling to 8 s, up to 25% jitter, a
 * server's wait honoured up to 60 s).
 *
 * @module
 */

import {
  ApiError,
  ConnectionError,
  ContextSizeError,
  type GptOssError,
} from "../errors/mod.ts";

/** The statuses worth another try. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([
  408,
  409,
  429,
  500,
  502,
  503,
  504,
]);

/** The default number of retries after the first try. */
export const DEFAULT_MAX_RETRIES = 2;

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
const MAX_SERVER_DELAY_MS = 60_000;

/** Whether a failed try may be repeated. */
export function isRetryable(error: GptOssError): boolean {
  if (error instanceof ConnectionError) return error.beforeResponse;
  return error instanceof ApiError && !(error instanceof ContextSizeError) &&
    RETRYABLE_STATUSES.has(error.status);
}

/**
 * A server's own parser rejected what the model sampled (its harmony
 * output): llama.cpp's 500 "The model produced output that does not match
 * the expected … format" (capture llamacpp/07), vLLM's `HarmonyError` 500s
 * ("Unexpected token 200005 while expecting start token 200006"). Another
 * sample usually parses.
 */
const OUTPUT_PARSE_FAILURE =
  /does not match the expected [\w-]+ format|HarmonyError|Unexpected token \d+ while expecting start token/i;

/** Whether a failure is the server's parser rejecting the model's output. */
export function isOutputParseFailure(error: GptOssError): boolean {
  return error instanceof ApiError && error.status === 500 &&
    OUTPUT_PARSE_FAILURE.test(error.serverMessage);
}

/**
 * The wait a server asks for, from `retry-after-ms` or `Retry-After`.
 *
 * @param headers The error response's headers.
 * @param now The current time, for an HTTP date.
 * @returns Milliseconds, or `undefined` when it asks for none or for too long.
 */
export function serverRetryDelay(
  headers: Headers,
  now = Date.now(),
): number | undefined {
  let ms: number | undefined;
  const precise = headers.get("retry-after-ms");
  if (
    precise !== null && precise.trim() !== "" &&
    Number.isFinite(Number(precise))
  ) {
    ms = Number(precise);
  } else {
    const after = headers.get("retry-after");
    if (after !== null && after.trim() !== "") {
      const seconds = Number(after);
      ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - now;
    }
  }
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 &&
      ms <= MAX_SERVER_DELAY_MS
    ? ms
    : undefined;
}

/**
 * @param retry 0 for the first retry, 1 for the second…
 * @param serverDelay What the server asked for, if anything sane.
 * @param random A source of randomness, for tests.
 * @returns Milliseconds to wait.
 */
export function retryDelay(
  retry: number,
  serverDelay: number | undefined,
  random: () => number = Math.random,
): number {
  if (serverDelay !== undefined) return serverDelay;
  const base = Math.min(INITIAL_DELAY_MS * 2 ** retry, MAX_DELAY_MS);
  return Math.round(base * (1 - random() * 0.25));
}
