/**
 * Turns the caller's {@link GptOssConfig} into what a client runs on: every
 * value checked, the base URL normalised, the credentials in headers, and a
 * logger that cannot show them.
 *
 * @module
 */

import { parseBaseUrl } from "../http/base_url.ts";
import {
  checkBoolean,
  checkConfigKeys,
  checkContextOverflow,
  checkHeaders,
  checkLogger,
  checkNonEmptyString,
  checkNonNegativeInteger,
  checkPositiveInteger,
  checkRange,
  checkServerKind,
  type ContextOverflow,
  DEFAULT_CONFIG,
  type GptOssConfig,
} from "./config.ts";
import type { Tokenizer } from "../context/tokenizer.ts";
import { resolveContextWindow } from "../context/window.ts";
import {
  checkReasoningEffort,
  type ReasoningEffort,
} from "../wire/reasoning_effort.ts";
import type { ServerKind } from "../wire/servers.ts";
import { ConfigError } from "../errors/mod.ts";
import { DEFAULT_MAX_RESPONSE_BYTES, type HttpContext } from "../http/request.ts";
import { DEFAULT_MAX_RETRIES } from "../http/retry.ts";
import { resolveTimeouts, type Timeouts } from "../http/timeouts.ts";
import { createConsoleLogger } from "../logger.ts";
import { isCredentialHeader, Redactor } from "../redact.ts";

/**
 * The client's defaults for every request; per-call options override them.
 *
 * @example Reading the default sampling settings
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * const { maxTokens, temperature } = new GptOssClient().settings; // 2048, 0.7
 * ```
 */
export interface ClientDefaults {
  /** The context window in tokens, or "auto" (asked from the server on first use). */
  maxContextSize: number | "auto";
  /** The default limit of generated tokens. */
  maxTokens: number;
  /** The default sampling temperature. */
  temperature: number;
  /** The limits in milliseconds: the headers, each silence, and the whole call when set. */
  timeout: Timeouts;
  /** Retries after a connection failure or a busy status. */
  maxRetries: number;
  /** What happens when a conversation does not fit the window. */
  contextOverflow: ContextOverflow;
  /** The default reasoning effort, when set. */
  reasoningEffort?: ReasoningEffort;
  /** Whether earlier turns' reasoning is sent back. */
  keepReasoning: boolean;
  /** Whether truncation keeps the first user message. */
  keepFirstUserMessage: boolean;
}

/** A configuration checked and ready to use. */
export interface ClientConfig {
  /** The base URL without `/v1`, a trailing slash or credentials. */
  root: string;
  defaults: ClientDefaults;
  model?: string;
  /** The fetch, the redacting logger and the headers. */
  http: HttpContext;
  /** Hides the configured secrets wherever something is shown. */
  redactor: Redactor;
  tokenizer: Tokenizer;
  hasApiKey: boolean;
  /** Split raw harmony found in `content`. */
  splitHarmony: boolean;
  /** The server the caller named, if any. */
  server?: ServerKind;
}

/**
 * @param config The caller's configuration.
 * @returns The configuration checked, with defaults.
 * @throws {ConfigError} For a wrong value or an unknown key.
 */
export function resolveClientConfig(config: GptOssConfig): ClientConfig {
  checkConfigKeys(config);
  const address = parseBaseUrl(config.baseUrl ?? DEFAULT_CONFIG.baseUrl);
  const auto = config.maxContextSize === "auto";
  if (typeof config.maxContextSize === "string" && !auto) {
    throw new ConfigError(
      "maxContextSize",
      config.maxContextSize,
      'a whole number of at least 1, or "auto"',
    );
  }
  // With "auto" the window is checked once the server has told it.
  const window = resolveContextWindow({
    ...config,
    maxContextSize: auto
      ? Number.MAX_SAFE_INTEGER
      : config.maxContextSize as number | undefined,
  });
  const defaults: ClientDefaults = {
    maxContextSize: auto ? "auto" : window.maxContextSize,
    maxTokens: window.maxTokens,
    temperature: checkRange(
      "temperature",
      config.temperature ?? DEFAULT_CONFIG.temperature,
      0,
      2,
    ),
    timeout: resolveTimeouts("timeout", config.timeout),
    maxRetries: config.maxRetries === undefined
      ? DEFAULT_MAX_RETRIES
      : checkNonNegativeInteger("maxRetries", config.maxRetries),
    contextOverflow: checkContextOverflow(
      "contextOverflow",
      config.contextOverflow ?? DEFAULT_CONFIG.contextOverflow,
    ),
    ...(config.reasoningEffort === undefined ? {} : {
      reasoningEffort: checkReasoningEffort(
        "reasoningEffort",
        config.reasoningEffort,
      ),
    }),
    keepReasoning: config.keepReasoning === undefined
      ? false
      : checkBoolean("keepReasoning", config.keepReasoning),
    keepFirstUserMessage: config.keepFirstUserMessage === undefined
      ? false
      : checkBoolean("keepFirstUserMessage", config.keepFirstUserMessage),
  };
  const apiKey = config.apiKey === undefined
    ? undefined
    : checkApiKey(config.apiKey);
  const headers = config.headers === undefined
    ? {}
    : checkHeaders("headers", config.headers);
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  else if (address.username || address.password) {
    headers.authorization = `Basic ${
      btoa(`${address.username ?? ""}:${address.password ?? ""}`)
    }`;
  }
  const secrets = [
    apiKey,
    address.password,
    headers.authorization?.replace(/^\w+ /, ""),
  ];
  for (const [name, value] of Object.entries(headers)) {
    if (isCredentialHeader(name)) secrets.push(value);
  }
  const redactor = new Redactor(secrets);
  const logger = redactor.logger(
    config.logger === undefined
      ? createConsoleLogger("warn")
      : checkLogger(config.logger),
  );
  if (config.fetch !== undefined && typeof config.fetch !== "function") {
    throw new ConfigError("fetch", config.fetch, "a fetch function");
  }
  if (apiKey && address.root.startsWith("http:") && !isLoopback(address.root)) {
    logger.warn(
      `The API key will be sent over plain HTTP to ${address.display}; anyone on the network can read it. Use https, or a server on this machine.`,
    );
  }
  return {
    root: address.root,
    defaults,
    ...(config.model === undefined
      ? {}
      : { model: checkNonEmptyString("model", config.model) }),
    http: {
      fetch: config.fetch ?? ((input, init) => fetch(input, init)),
      logger,
      headers,
      maxResponseBytes: config.maxResponseBytes === undefined
        ? DEFAULT_MAX_RESPONSE_BYTES
        : checkPositiveInteger("maxResponseBytes", config.maxResponseBytes),
    },
    redactor,
    tokenizer: window.tokenizer,
    hasApiKey: apiKey !== undefined,
    splitHarmony: config.splitHarmony === undefined
      ? true
      : checkBoolean("splitHarmony", config.splitHarmony),
    ...(config.server === undefined
      ? {}
      : { server: checkServerKind(config.server) }),
  };
}

function checkApiKey(value: unknown): string {
  if (typeof value !== "string" || value === "" || /[\r\n\0]/.test(value)) {
    // The value is not echoed: it is a secret.
    throw new ConfigError(
      "apiKey",
      typeof value === "string" ? "(hidden)" : typeof value,
      "a non-empty string without line breaks",
    );
  }
  return value;
}

function isLoopback(root: string): boolean {
  const host = new URL(root).hostname;
  return host === "localhost" || host === "[::1]" || host.startsWith("127.") ||
    host.endsWith(".localhost");
}
