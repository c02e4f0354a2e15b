/**
 * A client's configuration checked once, at construction: the connection
 * (address, credentials, fetch, logger), the secrets to hide, and the
 * defaults every request starts from.
 *
 * @module
 */

import { checkBoolean, checkPositiveInteger } from "../checks.ts";
import type { Tokenizer } from "../context/tokenizer.ts";
import { checkTokenizer, contextWindow } from "../context/window.ts";
import { estimatingTokenizer } from "../context/estimate.ts";
import { ConfigError } from "../errors/mod.ts";
import { parseBaseUrl } from "../http/base_url.ts";
import type { HttpContext } from "../http/request.ts";
import { createConsoleLogger, type Logger } from "../logger.ts";
import { isCredentialHeader, Redactor } from "../redact.ts";
import { checkServerKind, type ServerKind } from "../wire/servers.ts";
import { CONFIG_KEYS, DEFAULT_CONFIG, type GptOssConfig } from "./options.ts";
import {
  DEFAULT_OPTIONS,
  type ResolvedOptions,
  resolveOptions,
} from "./resolve.ts";

/** A configuration checked and ready to use. */
export interface ClientConfig {
  /** The base URL without `/v1`, a trailing slash or credentials. */
  root: string;
  /** What every request starts from. */
  defaults: ResolvedOptions;
  /** The context window, or "auto" (asked from the server on first use). */
  maxContextSize: number | "auto";
  /** The fetch, the redacting logger and the headers (credentials included). */
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
  const defaults = resolveOptions(
    "config",
    config,
    CONFIG_KEYS,
    DEFAULT_OPTIONS,
  );
  const address = parseBaseUrl(config.baseUrl ?? DEFAULT_CONFIG.baseUrl);
  const maxContextSize = resolveMaxContextSize(config.maxContextSize);
  // With "auto" the window is checked once the server has told it.
  if (maxContextSize !== "auto") {
    contextWindow(maxContextSize, defaults.model.sampling.maxTokens);
  }
  const apiKey = config.apiKey === undefined
    ? undefined
    : checkApiKey(config.apiKey);
  // The configured headers and the credentials go with every request,
  // lookups included: they live in the HTTP context, and a call's headers
  // are added to them.
  const headers = { ...defaults.transport.headers };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  else if (address.username || address.password) {
    headers.authorization = `Basic ${
      btoa(`${address.username ?? ""}:${address.password ?? ""}`)
    }`;
  }
  const secrets = [
    apiKey,
    address.username,
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
  if (address.endpoint) {
    logger.warn(
      `baseUrl ends in ${address.endpoint}, an endpoint: using ${address.display}, the server's address (the client adds each endpoint's path itself).`,
    );
  }
  if (apiKey && address.root.startsWith("http:") && !isLoopback(address.root)) {
    logger.warn(
      `The API key will be sent over plain HTTP to ${address.display}; anyone on the network can read it. Use https, or a server on this machine.`,
    );
  }
  return {
    root: address.root,
    defaults: {
      ...defaults,
      transport: { ...defaults.transport, headers: {} },
    },
    maxContextSize,
    http: {
      fetch: config.fetch ?? ((input, init) => fetch(input, init)),
      logger,
      headers,
      maxResponseBytes: config.maxResponseBytes === undefined
        ? DEFAULT_CONFIG.maxResponseBytes
        : checkPositiveInteger("maxResponseBytes", config.maxResponseBytes),
    },
    redactor,
    tokenizer: config.tokenizer === undefined
      ? estimatingTokenizer
      : checkTokenizer("tokenizer", config.tokenizer),
    hasApiKey: apiKey !== undefined,
    splitHarmony: config.splitHarmony === undefined
      ? DEFAULT_CONFIG.splitHarmony
      : checkBoolean("splitHarmony", config.splitHarmony),
    ...(config.server === undefined
      ? {}
      : { server: checkServerKind("server", config.server) }),
  };
}

function resolveMaxContextSize(value: unknown): number | "auto" {
  if (value === undefined) return DEFAULT_CONFIG.maxContextSize;
  if (value === "auto") return "auto";
  if (typeof value === "string") {
    throw new ConfigError(
      "maxContextSize",
      value,
      'a whole number of at least 1, or "auto"',
    );
  }
  return checkPositiveInteger("maxContextSize", value);
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

/** @throws {ConfigError} Unless `value` has the four logger methods. */
function checkLogger(value: unknown): Logger {
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

function isLoopback(root: string): boolean {
  const host = new URL(root).hostname;
  return host === "localhost" || host === "[::1]" || host.startsWith("127.") ||
    host.endsWith(".localhost");
}
