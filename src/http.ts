/**
 * Sends one HTTP request and turns every way it can fail into a typed error:
 * nothing answered ({@link ConnectionError}), too slow ({@link TimeoutError}),
 * aborted ({@link AbortError}), an error status ({@link ApiError} or
 * {@link ContextSizeError}), an answer that is not JSON
 * ({@link InvalidResponseError}). Each request is logged at debug level with
 * its method, URL, status and time; never its headers.
 *
 * @module
 */

import { errorFromBody, excerpt } from "./error_body.ts";
import {
  ConnectionError,
  type GptOssError,
  InvalidResponseError,
} from "./errors/mod.ts";
import type { Logger } from "./logger.ts";
import { RequestWatchdog } from "./watchdog.ts";

/** What every request of one client shares. */
export interface HttpContext {
  fetch: typeof fetch;
  logger: Logger;
  /** Headers for every request, credentials included; never logged. */
  headers: Record<string, string>;
}

/** One request. */
export interface HttpRequest {
  method: "GET" | "POST";
  /** The full URL, without credentials. */
  url: string;
  /** A JSON body. */
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs: number;
  /** The Accept header. */
  accept?: string;
  /** Headers for this request only. */
  headers?: Record<string, string>;
}

/** A response with a 2xx status, and the watchdog still guarding its body. */
export interface OpenResponse {
  response: Response;
  watchdog: RequestWatchdog;
}

/**
 * Sends a request and waits for a successful status.
 *
 * @returns The response, its body unread, and its watchdog (the caller must
 * dispose of it once the body is read or cancelled).
 * @throws {GptOssError} A typed error for every failure; the body of an error
 * answer has been read and the watchdog disposed of.
 */
export async function openRequest(
  context: HttpContext,
  request: HttpRequest,
): Promise<OpenResponse> {
  const { method, url } = request;
  const watchdog = new RequestWatchdog(request.timeoutMs, url, request.signal);
  const headers: Record<string, string> = {
    ...context.headers,
    ...request.headers,
    accept: request.accept ?? "application/json",
  };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  const started = Date.now();
  let response: Response;
  try {
    if (watchdog.fired) throw watchdog.fired;
    response = await context.fetch(url, {
      method,
      headers,
      body: request.body === undefined
        ? undefined
        : JSON.stringify(request.body),
      signal: watchdog.signal,
    });
  } catch (cause) {
    watchdog.dispose();
    const error = watchdog.fired ??
      new ConnectionError(url, reasonOf(cause), { cause });
    context.logger.debug(
      `${method} ${url} failed after ${Date.now() - started} ms`,
      {
        error: error.name,
      },
    );
    throw error;
  }
  watchdog.headersReceived();
  context.logger.debug(
    `${method} ${url} → ${response.status} in ${Date.now() - started} ms`,
  );
  if (response.ok) return { response, watchdog };

  let raw: string;
  try {
    raw = await response.text();
  } catch (cause) {
    throw bodyFailure(watchdog, url, cause);
  } finally {
    watchdog.dispose();
  }
  throw errorFromBody(
    {
      status: response.status,
      statusText: htmlTitle(raw) || response.statusText,
      url,
      requestId: response.headers.get("x-request-id") ?? undefined,
    },
    raw,
    parseJsonOrUndefined(raw),
  );
}

/**
 * Sends a request and reads its JSON answer.
 *
 * @returns The parsed body and its text.
 * @throws {GptOssError} As {@link openRequest}, and {@link InvalidResponseError}
 * when the body is not JSON.
 */
export async function requestJson(
  context: HttpContext,
  request: HttpRequest,
): Promise<{ body: unknown; raw: string }> {
  const { response, watchdog } = await openRequest(context, request);
  let raw: string;
  try {
    raw = await response.text();
  } catch (cause) {
    throw bodyFailure(watchdog, request.url, cause);
  } finally {
    watchdog.dispose();
  }
  return { body: parseJson(raw, response.headers.get("content-type")), raw };
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
    new ConnectionError(url, reasonOf(cause), { cause, midway: true });
}

function parseJsonOrUndefined(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function htmlTitle(raw: string): string {
  return /<title>([^<]{1,200})<\/title>/i.exec(raw)?.[1]?.trim() ?? "";
}

function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // Node puts the useful part ("ECONNREFUSED") in a cause; Deno repeats the URL.
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : "";
  return `${cause.message}${inner}`.replace(
    /error sending request for url \([^)]*\): /,
    "",
  );
}
