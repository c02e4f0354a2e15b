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

import { errorFromBody } from "./error_body.ts";
import {
  AbortError,
  ApiError,
  ConnectionError,
  type GptOssError,
} from "../errors/mod.ts";
import type { Logger } from "../logger.ts";
import {
  isOutputParseFailure,
  isRetryable,
  retryDelay,
  serverRetryDelay,
} from "./retry.ts";
import type { TimeoutLimits } from "./timeouts.ts";
import {
  connectionReason,
  parseJson,
  parseJsonOrUndefined,
  readBody,
} from "./read_body.ts";
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
  timeouts: TimeoutLimits;
  /** When the whole call must be over (`Date.now()` time); from `timeouts.total` when absent. */
  deadline?: number;
  /** Retries after the first try for connection failures and busy statuses. Default 0. */
  maxRetries?: number;
  /** The Accept header. */
  accept?: string;
  /** Headers for this request only. */
  headers?: Record<string, string>;
  /**
   * Try once more when the server's parser rejected the model's output
   * (a chat request's answer depends on sampling), even without retries.
   */
  retryOutputParseFailure?: boolean;
}

/** A response with a 2xx status, and the watchdog still guarding its body. */
export interface OpenResponse {
  response: Response;
  watchdog: RequestWatchdog;
}

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
      const again = retry < maxRetries && isRetryable(failure);
      // The server's parser rejected a sample: once more, even when
      // maxRetries allows no retry.
      const resample = !again && retry === 0 &&
        request.retryOutputParseFailure === true &&
        isOutputParseFailure(failure);
      if (!again && !resample) throw failure;
      const wait = retryDelay(
        retry,
        failure instanceof ApiError ? failure.retryAfterMs : undefined,
      );
      if (deadline !== undefined && Date.now() + wait >= deadline) {
        throw failure;
      }
      context.logger.info(
        resample
          ? `Retrying ${request.method} ${request.url} in ${wait} ms once: the server could not parse what the model sampled (${failure.message})`
          : `Retrying ${request.method} ${request.url} in ${wait} ms (retry ${
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
      new ConnectionError(url, connectionReason(cause), { cause });
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

function htmlTitle(raw: string): string {
  return /<title>([^<]{1,200})<\/title>/i.exec(raw)?.[1]?.trim() ?? "";
}

/** A server and how to ask it: what every lookup of one client shares. */
export interface ServerCall {
  http: HttpContext;
  /** The base URL without `/v1`. */
  root: string;
  timeouts: TimeoutLimits;
  /** Retries after a connection failure or a busy status. */
  maxRetries: number;
  signal?: AbortSignal;
}

/**
 * Asks a server for JSON at a path: `GET` without a body, `POST` with one.
 *
 * @returns The parsed answer.
 * @throws {GptOssError} As {@link requestJson}.
 */
export async function callServer(
  call: ServerCall,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const answer = await requestJson(call.http, {
    method: body === undefined ? "GET" : "POST",
    url: `${call.root}${path}`,
    timeouts: call.timeouts,
    maxRetries: call.maxRetries,
    ...(body === undefined ? {} : { body }),
    ...(call.signal ? { signal: call.signal } : {}),
  });
  return answer.body;
}
