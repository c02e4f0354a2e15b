/**
 * The client's configuration: its type, its defaults, and the checks that
 * turn a wrong value into a {@link ConfigError} before any request is made.
 *
 * @module
 */

import type { TimeoutSettings } from "../http/timeouts.ts";
import { ConfigError } from "../errors/mod.ts";
import type { Logger } from "../logger.ts";
import type { Tokenizer } from "../context/tokenizer.ts";
import type { ReasoningEffort } from "../wire/reasoning_effort.ts";
import { SERVER_KINDS, type ServerKind } from "../wire/servers.ts";

/**
 * What the client does when the conversation does not fit the context window:
 * drop the oldest turns, or throw a {@link ContextSizeError}.
 *
 * @example Failing instead of trimming
 * ```ts
 * import type { ContextOverflow } from "@gptoss/client";
 * const policy: ContextOverflow = "error";
 * ```
 */
export type ContextOverflow = "truncate" | "error";

/**
 * The client's configuration; every field is optional.
 *
 * @example Ollama on its default port
 * ```ts
 * import { GptOssClient, type GptOssConfig } from "@gptoss/client";
 * const config: GptOssConfig = {
 *   baseUrl: "http://localhost:11434/v1",
 *   model: "gpt-oss:20b",
 *   maxContextSize: 8192,
 * };
 * const client = new GptOssClient(config);
 * ```
 */
export interface GptOssConfig {
  /** The server, with or without `/v1`. Default `"http://localhost:8000"`. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer …`; never logged or shown. Default: none. */
  apiKey?: string;
  /** The model id. Default: discovered once from `GET /v1/models`. */
  model?: string;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /**
   * The model's context window in tokens, or `"auto"` to ask the server
   * (see `discover()`; 8192 when it does not tell). Default 8192.
   */
  maxContextSize?: number | "auto";
  /** Sampling temperature, 0 to 2. Default 0.7. */
  temperature?: number;
  /** The most tokens to generate, reasoning included. Default 2048. */
  maxTokens?: number;
  /**
   * Milliseconds to wait for the response headers, and then for each piece of
   * a stream (default 30000); or each limit apart:
   * `{ headers, idle, total }` (`total` covers the whole call, retries
   * included; none by default).
   */
  timeout?: number | TimeoutSettings;
  /**
   * Retries after a connection failure or a busy status (408, 409, 429, 5xx),
   * with backoff; never once a stream has started. Default 2; 0 turns it off.
   */
  maxRetries?: number;
  /** The largest answer read whole, in bytes (a JSON body, an error page, one stream event). Default 32 MiB. */
  maxResponseBytes?: number;
  /** `"truncate"` (default) drops the oldest turns; `"error"` throws instead. */
  contextOverflow?: ContextOverflow;
  /** The `fetch` to use. Default: the global one. */
  fetch?: typeof fetch;
  /** Where to log. Default: the console, warnings and errors only. */
  logger?: Logger;
  /** What counts tokens for the context window. Default: the built-in estimator. */
  tokenizer?: Tokenizer;
  /**
   * Split raw harmony text (`<|channel|>analysis<|message|>…`) that some
   * server builds return inside `content` into reasoning, answer and tool
   * calls. Default `true`.
   */
  splitHarmony?: boolean;
  /** How hard the model thinks: "low", "medium" or "high". Default: the server's (medium). */
  reasoningEffort?: ReasoningEffort;
  /** Send the reasoning of earlier turns back to the server. Default `false`. */
  keepReasoning?: boolean;
  /**
   * When the context window forces old turns out, keep the first user
   * message (the task statement) too. Default `false`.
   */
  keepFirstUserMessage?: boolean;
  /** The server, when you know it; otherwise discovered or handled generically. */
  server?: ServerKind;
}

/**
 * The defaults behind {@link GptOssConfig}.
 *
 * @example Reading the default context window
 * ```ts
 * import { DEFAULT_CONFIG } from "@gptoss/client";
 * console.log(DEFAULT_CONFIG.maxContextSize); // 8192
 * ```
 */
export const DEFAULT_CONFIG: {
  readonly baseUrl: string;
  readonly maxContextSize: number;
  readonly temperature: number;
  readonly maxTokens: number;
  readonly timeout: number;
  readonly contextOverflow: ContextOverflow;
} = Object.freeze({
  baseUrl: "http://localhost:8000",
  maxContextSize: 8192,
  temperature: 0.7,
  maxTokens: 2048,
  timeout: 30_000,
  contextOverflow: "truncate",
});

const CONFIG_KEYS: ReadonlySet<string> = new Set([
  "baseUrl",
  "apiKey",
  "model",
  "headers",
  "maxContextSize",
  "temperature",
  "maxTokens",
  "timeout",
  "maxRetries",
  "maxResponseBytes",
  "contextOverflow",
  "fetch",
  "logger",
  "tokenizer",
  "splitHarmony",
  "reasoningEffort",
  "keepReasoning",
  "keepFirstUserMessage",
  "server",
]);

/**
 * @param where "config" or "options", for the error.
 * @param value The caller's object.
 * @param known The keys it may have.
 * @throws {ConfigError} For a non-object or an unknown key (a typo, most often).
 */
export function checkKnownKeys(
  where: string,
  value: unknown,
  known: ReadonlySet<string>,
): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(where, value, "an object");
  }
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      const hint = [...known].find((k) =>
        k.toLowerCase() === key.toLowerCase() ||
        k.toLowerCase().startsWith(key.toLowerCase())
      );
      throw new ConfigError(
        `${where}.${key}`,
        (value as Record<string, unknown>)[key],
        hint
          ? `no such option; did you mean ${hint}?`
          : `one of: ${[...known].join(", ")}`,
      );
    }
  }
}

/** @throws {ConfigError} Unless `value` is a whole number of at least 1. */
export function checkPositiveInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(field, value, "a whole number of at least 1");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is a whole number of at least 0. */
export function checkNonNegativeInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ConfigError(field, value, "a whole number of at least 0");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is a number of milliseconds above 0. */
export function checkTimeout(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(field, value, "a number of milliseconds above 0");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is a number from `min` to `max`. */
export function checkRange(
  field: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== "number" || !(value >= min && value <= max)) {
    throw new ConfigError(field, value, `a number from ${min} to ${max}`);
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is one of the known servers. */
export function checkServerKind(value: unknown): ServerKind {
  if (!SERVER_KINDS.includes(value as ServerKind)) {
    throw new ConfigError(
      "server",
      value,
      SERVER_KINDS.map((s) => `"${s}"`).join(", "),
    );
  }
  return value as ServerKind;
}

/** @throws {ConfigError} Unless `value` is `true` or `false`. */
export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new ConfigError(field, value, "true or false");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is a non-empty string. */
export function checkNonEmptyString(field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(field, value, "a non-empty string");
  }
  return value;
}

/** @throws {ConfigError} Unless `maxTokens` leaves room for a prompt. */
export function checkTokenBudget(
  maxTokens: number,
  maxContextSize: number,
): void {
  if (maxTokens >= maxContextSize) {
    throw new ConfigError(
      "maxTokens",
      maxTokens,
      `a number below maxContextSize (${maxContextSize}), leaving room for the prompt`,
    );
  }
}

/** @throws {ConfigError} Unless `value` is `"truncate"` or `"error"`. */
export function checkContextOverflow(
  field: string,
  value: unknown,
): ContextOverflow {
  if (value !== "truncate" && value !== "error") {
    throw new ConfigError(field, value, '"truncate" or "error"');
  }
  return value;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * @returns The headers as a plain object.
 * @throws {ConfigError} For a name that is not a header token, or a value
 * with CR, LF or NUL (header injection).
 */
export function checkHeaders(
  field: string,
  value: unknown,
): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(
      field,
      value,
      "an object of header names to string values",
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigError(`${field} name`, name, "a valid HTTP header name");
    }
    if (typeof v !== "string" || /[\r\n\0]/.test(v)) {
      // The value is not echoed: it may be a credential.
      throw new ConfigError(
        `${field}["${name}"]`,
        typeof v === "string" ? "(a string with a line break)" : v,
        "a string without CR, LF or NUL characters",
      );
    }
    headers[name] = v;
  }
  return headers;
}

/** @throws {ConfigError} Unless `value` has the four logger methods. */
export function checkLogger(value: unknown): Logger {
  const ok = value !== null && typeof value === "object" &&
    ["debug", "info", "warn", "error"].every((m) =>
      typeof (value as Record<string, unknown>)[m] === "function"
    );
  if (!ok) {
    throw new ConfigError(
      "logger",
      value,
      "an object with debug, info, warn and error methods",
    );
  }
  return value as Logger;
}

/** @throws {ConfigError} Unless `value` has a `count` method. */
export function checkTokenizer(value: unknown): Tokenizer {
  if (
    value === null || typeof value !== "object" ||
    typeof (value as Tokenizer).count !== "function"
  ) {
    throw new ConfigError(
      "tokenizer",
      value,
      "an object with a count(text) method",
    );
  }
  return value as Tokenizer;
}

/**
 * @param config The caller's configuration.
 * @throws {ConfigError} For an unknown key (a likely typo).
 */
export function checkConfigKeys(config: unknown): void {
  checkKnownKeys("config", config, CONFIG_KEYS);
}
