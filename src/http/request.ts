/**
 * Sends one HTTP request and turns every way it can fail into a typed error:
 * nothing answered ({@link ConnectionError}), too slow ({@link TimeoutError}),
 * aborted ({@link AbortError}), an error status ({@link ApiError} or
 * {@link ContextSizeError}), an answer that is not JSON
 * ({@link InvalidResponseError}). Connection failures before any answer and
 * busy statuses are tried again (retry.ts). Each request is logged at debug
 * level with its method, URL, status and time; never its headers.
 *
 * @module
 */

import { errorFromBody, excerpt } from "./error_body.ts";
import {
  AbortError,
  ApiError,
  ConnectionError,
  type GptOssError,
  InvalidResponseError,
} from "../errors/mod.ts";
import type { Logger } from "../logger.ts";
import { isRetryable, retryDelay, serverRetryDelay } from "./retry.ts";
import type { Timeouts } from "./timeouts.ts";
import { RequestWatchdog } from "./watchdog.ts";

/** What every request of one client shares. */
export interface HttpContext {
  fetch: typeof fetch;
  logger: Logger;
  /** Headers for every request, credentials included; never logged. */
  headers: Record<string, string>;
  /** The largest body the client reads whole (JSON answers, error pages). */
  maxResponseBytes?: number;
}

/** One request. */
export interface HttpRequest {
  method: "GET" | "POST";
  /** The full URL, without credentials. */
  url: string;
  /** A JSON body. */
  body?: unknown;
  signal?: AbortSignal;
  /** The limits for the headers and each silence, and the overall one. */
  timeouts: Timeouts;
  /** When the whole call must be over (`Date.now()` time); from `timeouts.total` when absent. */
  deadline?: number;
  /** Retries after the first try for connection failures and busy statuses. Default 0. */
  maxRetries?: number;
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

/** 32 MiB: far more than any chat answer, far less than a runaway body. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * Sends a request and waits for a successful status, trying again after a
 * connection failure or a busy status (see retry.ts) up to `maxRetries`
 * times, within the overall deadline.
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
  const deadline = request.deadline ??
    (request.timeouts.total === undefined
      ? undefined
      : Date.now() + request.timeouts.total);
  const maxRetries = request.maxRetries ?? 0;
  for (let retry = 0;; retry++) {
    try {
      return await openOnce(context, request, deadline);
    } catch (error) {
      const failure = error as GptOssError;
      if (retry >= maxRetries || !isRetryable(failure)) throw failure;
      const wait = retryDelay(
        retry,
        failure instanceof ApiError ? failure.retryAfterMs : undefined,
      );
      if (deadline !== undefined && Date.now() + wait >= deadline) {
        throw failure;
      }
      context.logger.info(
        `Retrying ${request.method} ${request.url} in ${wait} ms (retry ${
          retry + 1
        } of ${maxRetries}): ${failure.message}`,
      );
      await pause(wait, request.signal);
    }
  }
}

/** Waits, unless the caller aborts first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError({ cause: signal.reason }));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(new AbortError({ cause: signal?.reason }));
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

async function openOnce(
  context: HttpContext,
  request: HttpRequest,
  deadline: number | undefined,
): Promise<OpenResponse> {
  const { method, url } = request;
  const watchdog = new RequestWatchdog(
    request.timeouts,
    url,
    request.signal,
    deadline,
  );
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
    raw = await readBody(response, watchdog, url, context.maxResponseBytes);
  } finally {
    watchdog.dispose();
  }
  const retryAfterMs = serverRetryDelay(response.headers);
  throw errorFromBody(
    {
      status: response.status,
      statusText: htmlTitle(raw) || response.statusText,
      url,
      requestId: response.headers.get("x-request-id") ?? undefined,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
    raw,
    parseJsonOrUndefined(raw),
  );
}

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
      const { done, value } = await reader.read();
      if (done) break;
      watchdog.touch();
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
 * Sends a request and reads its JSON answer.
 *
 * @returns The parsed body and its text.
 * @throws {GptOssError} As {@link openRequest}, and {@link InvalidResponseError}
 * when the body is not JSON or too large.
 */
export async function requestJson(
  context: HttpContext,
  request: HttpRequest,
): Promise<{ body: unknown; raw: string }> {
  const { response, watchdog } = await openRequest(context, request);
  let raw: string;
  try {
    raw = await readBody(
      response,
      watchdog,
      request.url,
      context.maxResponseBytes,
    );
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
