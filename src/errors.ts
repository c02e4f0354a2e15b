/**
 * The typed errors of the client. Every error extends {@link GptOssError};
 * each message says what happened and what to do next. No error ever carries
 * a request header, so the API key cannot leak through one.
 *
 * @module
 */

import type { ChatCompletion } from "./types.ts";

/**
 * Options shared by every error.
 *
 * @example Attaching a cause
 * ```ts
 * import { GptOssError } from "@gptoss/client";
 * const error = new GptOssError("It broke.", { cause: new Error("socket") });
 * ```
 */
export interface GptOssErrorOptions {
  /** The lower-level error behind this one. */
  cause?: unknown;
  /** What a stream delivered before it failed, marked `incomplete`. */
  partial?: ChatCompletion;
}

/**
 * The base of every error this library throws.
 *
 * @example Catching any client error
 * ```ts
 * import { GptOssError } from "@gptoss/client";
 * try {
 *   throw new GptOssError("Example.");
 * } catch (error) {
 *   if (error instanceof GptOssError) console.log(error.name, error.message);
 * }
 * ```
 */
export class GptOssError extends Error {
  /** What a stream delivered before it failed, when the failure was mid-stream. */
  declare partial?: ChatCompletion;

  /**
   * Creates the error.
   *
   * @param message What happened and what to do.
   * @param options A cause and a partial completion.
   */
  constructor(message: string, options: GptOssErrorOptions = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = new.target.name;
    if (options.partial) this.partial = options.partial;
  }

  /**
   * A plain object for `JSON.stringify`: the name, the message and the
   * error's own fields; a cause becomes its message.
   *
   * @returns A JSON-safe description of the error.
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      message: this.message,
    };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== "name") json[key] = value;
    }
    if (this.cause !== undefined) json.cause = String(this.cause);
    return json;
  }
}

/**
 * A configuration value or a per-call option is wrong. Thrown by the
 * constructor and before any request, never after one was sent.
 *
 * @example
 * ```ts
 * import { ConfigError, GptOssClient } from "@gptoss/client";
 * try {
 *   new GptOssClient({ temperature: 5 });
 * } catch (error) {
 *   if (error instanceof ConfigError) console.log(error.field); // "temperature"
 * }
 * ```
 */
export class ConfigError extends GptOssError {
  /** The option's name. */
  readonly field: string;
  /** The rejected value. */
  readonly value: unknown;

  /**
   * Creates the error.
   *
   * @param field The option's name.
   * @param value The rejected value.
   * @param accepted What the option accepts, as a phrase ("a number from 0 to 2").
   * @param message A message to use instead of the one built from the above.
   */
  constructor(
    field: string,
    value: unknown,
    accepted: string,
    message?: string,
  ) {
    super(
      message ??
        `Invalid ${field}: ${describeValue(value)}. Expected ${accepted}.`,
    );
    this.field = field;
    this.value = value;
  }
}

/**
 * A message passed to the client is malformed. Thrown before any request.
 *
 * @example
 * ```ts
 * import { GptOssClient, InvalidMessageError } from "@gptoss/client";
 * const client = new GptOssClient({ model: "gpt-oss-20b" });
 * try {
 *   const fromUntypedCode = [{ content: "hi" }] as never; // no role
 *   await client.generateResponse(fromUntypedCode);
 * } catch (error) {
 *   if (error instanceof InvalidMessageError) console.log(error.index); // 0
 * }
 * ```
 */
export class InvalidMessageError extends GptOssError {
  /** The position of the bad message in the array. */
  readonly index: number;

  /**
   * Creates the error.
   *
   * @param index The position of the bad message, or -1 for the array itself.
   * @param problem What is wrong and what is accepted.
   */
  constructor(index: number, problem: string) {
    super(index < 0 ? problem : `messages[${index}]: ${problem}`);
    this.index = index;
  }
}

/**
 * Nothing answered: the connection was refused, the host is unknown, or the
 * connection broke before or during the response.
 *
 * @example
 * ```ts
 * import { ConnectionError } from "@gptoss/client";
 * const error = new ConnectionError("http://localhost:8000/v1/models", "connection refused");
 * console.log(error.message);
 * ```
 */
export class ConnectionError extends GptOssError {
  /** The URL that could not be reached, credentials removed. */
  readonly url: string;

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
  }
}

/**
 * Which limit a {@link TimeoutError} hit: the wait for response headers, the
 * silence between two pieces of a stream, or the whole request.
 *
 * @example
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
 * @example
 * ```ts
 * import { TimeoutError } from "@gptoss/client";
 * const error = new TimeoutError("headers", 30000, "http://localhost:8000/v1/chat/completions");
 * console.log(error.limit, error.timeoutMs);
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
      }. Raise the timeout option, or check that the server is not overloaded.`,
      options,
    );
    this.limit = limit;
    this.timeoutMs = timeoutMs;
    this.url = url;
  }
}

/**
 * Details of a server's error answer.
 *
 * @example
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
}

/**
 * The server answered with an error status, or sent an error object inside a
 * stream.
 *
 * @example
 * ```ts
 * import { ApiError } from "@gptoss/client";
 * const error = new ApiError({ status: 404, serverMessage: "model 'x' not found", body: "" });
 * console.log(error.status, error.serverMessage);
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

  /**
   * Creates the error.
   *
   * @param details What the server answered.
   * @param options A partial completion when the error came mid-stream.
   */
  constructor(details: ApiErrorDetails, options: GptOssErrorOptions = {}) {
    super(
      `The server answered ${details.status}: ${details.serverMessage}${
        adviceFor(details.status)
      }`,
      options,
    );
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    this.body = details.body;
    if (details.type !== undefined) this.type = details.type;
    if (details.code !== undefined) this.code = details.code;
    if (details.requestId !== undefined) this.requestId = details.requestId;
    if (details.url !== undefined) this.url = details.url;
  }
}

/**
 * The server's answer is not what the protocol says: not JSON, the wrong
 * shape, or a stream that ended before its end.
 *
 * @example
 * ```ts
 * import { InvalidResponseError } from "@gptoss/client";
 * const error = new InvalidResponseError("The body is not JSON.", "<html>");
 * console.log(error.body);
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

/**
 * Counts behind a {@link ContextSizeError}; a server gives some of them.
 *
 * @example
 * ```ts
 * import type { ContextSizeDetails } from "@gptoss/client";
 * const details: ContextSizeDetails = { promptTokens: 9000, maxContextSize: 8192, maxTokens: 2048 };
 * ```
 */
export interface ContextSizeDetails {
  /** The tokens of the prompt. */
  promptTokens?: number;
  /** The context window. */
  maxContextSize?: number;
  /** The tokens reserved for the answer. */
  maxTokens?: number;
  /** The HTTP status when the server rejected the request. */
  status?: number;
  /** The server's own message when the server rejected the request. */
  serverMessage?: string;
}

/**
 * The prompt does not fit the context window: the client found it would not
 * (and could not trim it), or the server rejected it.
 *
 * @example
 * ```ts
 * import { ContextSizeError } from "@gptoss/client";
 * const error = new ContextSizeError({ promptTokens: 9000, maxContextSize: 8192, maxTokens: 2048 });
 * console.log(error.message);
 * ```
 */
export class ContextSizeError extends GptOssError {
  /** The tokens of the prompt, when known. */
  declare readonly promptTokens?: number;
  /** The context window, when known. */
  declare readonly maxContextSize?: number;
  /** The tokens reserved for the answer, when known. */
  declare readonly maxTokens?: number;
  /** The HTTP status, when the server rejected the request. */
  declare readonly status?: number;
  /** The server's message, when the server rejected the request. */
  declare readonly serverMessage?: string;

  /**
   * Creates the error.
   *
   * @param details The counts, and the server's answer when it rejected the request.
   */
  constructor(details: ContextSizeDetails) {
    const { promptTokens, maxContextSize, maxTokens } = details;
    const counts = promptTokens !== undefined && maxContextSize !== undefined
      ? `the prompt needs ${promptTokens} tokens${
        maxTokens !== undefined ? ` plus ${maxTokens} for the answer` : ""
      }, the context window is ${maxContextSize}`
      : details.serverMessage ?? "the prompt is longer than the context window";
    super(
      `The conversation does not fit the context window: ${counts}. Shorten the latest message, lower maxTokens, or raise maxContextSize if the server allows it.`,
    );
    if (promptTokens !== undefined) this.promptTokens = promptTokens;
    if (maxContextSize !== undefined) this.maxContextSize = maxContextSize;
    if (maxTokens !== undefined) this.maxTokens = maxTokens;
    if (details.status !== undefined) this.status = details.status;
    if (details.serverMessage !== undefined) {
      this.serverMessage = details.serverMessage;
    }
  }
}

/**
 * The caller aborted the request through its `AbortSignal`, or stopped
 * reading a stream. A stream's partial completion is attached.
 *
 * @example
 * ```ts
 * import { AbortError } from "@gptoss/client";
 * const error = new AbortError();
 * console.log(error.message);
 * ```
 */
export class AbortError extends GptOssError {
  /**
   * Creates the error.
   *
   * @param options The reason and what a stream delivered before the abort.
   */
  constructor(options: GptOssErrorOptions = {}) {
    super(
      options.partial
        ? "The request was aborted; what arrived before is in error.partial."
        : "The request was aborted.",
      options,
    );
  }
}

function adviceFor(status: number): string {
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

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (value === null || typeof value !== "object") return String(value);
  try {
    return JSON.stringify(value).slice(0, 80);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
