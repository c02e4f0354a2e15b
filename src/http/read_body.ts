/**
 * Reads a response body whole, within a size limit and under the request's
 * watchdog, and turns what can go wrong into a typed error: too large or not
 * JSON ({@link InvalidResponseError}), a broken connection
 * ({@link ConnectionError}), or the watchdog's own error.
 *
 * @module
 */

import {
  ConnectionError,
  type GptOssError,
  InvalidResponseError,
} from "../errors/mod.ts";
import { excerpt } from "./error_body.ts";
import type { RequestWatchdog } from "./watchdog.ts";

/** 32 MiB: far more than any chat answer, far less than a runaway body. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * Reads a whole body as text, keeping the watchdog informed, and refusing
 * more than `limit` bytes.
 *
 * @throws {InvalidResponseError} When the body is larger than the limit.
 * @throws {GptOssError} The watchdog's error, or a broken connection.
 */
export async function readBody(
  response: Response,
  watchdog: RequestWatchdog,
  url: string,
  limit = DEFAULT_MAX_RESPONSE_BYTES,
): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    for (;;) {
      watchdog.waiting();
      const { done, value } = await reader.read();
      watchdog.received();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new InvalidResponseError(
          `The server's answer is larger than ${limit} bytes; it was not read further. Raise maxResponseBytes if such answers are expected.`,
          excerpt(text),
        );
      }
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  } catch (cause) {
    if (cause instanceof InvalidResponseError) throw cause;
    throw bodyFailure(watchdog, url, cause);
  } finally {
    reader.releaseLock();
  }
}

/**
 * @param raw A body.
 * @param contentType Its content type, for the error.
 * @returns The parsed JSON.
 * @throws {InvalidResponseError} When it is not JSON.
 */
export function parseJson(raw: string, contentType: string | null): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    const what = raw.trim() === ""
      ? "an empty body"
      : `a body that is not JSON (${contentType ?? "no content type"})`;
    throw new InvalidResponseError(
      `The server answered with ${what}.`,
      excerpt(raw),
    );
  }
}

/**
 * @returns The typed error for a body that could not be read: the watchdog's
 * when it stopped the request, a broken connection otherwise.
 */
export function bodyFailure(
  watchdog: RequestWatchdog,
  url: string,
  cause: unknown,
): GptOssError {
  return watchdog.fired ??
    new ConnectionError(url, connectionReason(cause), { cause, midway: true });
}

export function parseJsonOrUndefined(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * @param cause What `fetch` or a body read threw.
 * @returns What the runtime said, without the URL it repeats.
 */
export function connectionReason(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // Node puts the useful part ("ECONNREFUSED") in a cause; Deno repeats the URL.
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : "";
  return `${cause.message}${inner}`.replace(
    /error sending request for url \([^)]*\): /,
    "",
  );
}
