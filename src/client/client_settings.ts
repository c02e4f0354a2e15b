/**
 * What a client shows of its configuration: everything it resolved, safe to
 * print (never the API key).
 *
 * @module
 */

import type { ContextOverflow } from "../context/fit.ts";
import type { Timeouts } from "../http/timeouts.ts";
import type { ApiName } from "../api/mod.ts";
import type { ClientConfig } from "../options/client_config.ts";
import type { ReasoningEffort } from "../wire/reasoning_effort.ts";
import type { ServerKind } from "../wire/servers.ts";

/**
 * What a client was configured with, safe to print: never the API key.
 *
 * @example Reading the settings a client resolved
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const { baseUrl, timeout, hasApiKey } = new GptOssClient({ baseUrl: "http://localhost:8000/v1/", timeout: 5000 }).settings;
 * assert.equal(baseUrl, "http://localhost:8000");
 * assert.deepEqual(timeout, { headers: 5000, idle: 5000 });
 * assert.equal(hasApiKey, false);
 * ```
 */
export interface ClientSettings {
  /** The server's address, normalised, without credentials. */
  baseUrl: string;
  /** The configured model, or the one discovered, if known yet. */
  model?: string;
  /** The server, when configured or discovered. */
  server?: ServerKind;
  /** Whether an API key is set (the key itself is never shown). */
  hasApiKey: boolean;
  /** The context window in tokens, or "auto" (asked from the server on first use). */
  maxContextSize: number | "auto";
  /**
   * The window requests are fitted to: `maxContextSize`, or with "auto" the
   * one the server told (absent until the first request or `discover()`).
   */
  contextWindow?: number;
  /** The default limit of generated tokens. */
  maxTokens: number;
  /** The default sampling temperature. */
  temperature: number;
  /** The limits in milliseconds: the headers, each silence, and the whole call when set. */
  timeout: Timeouts;
  /** Retries after a connection failure or a busy status. */
  maxRetries: number;
  /** The wire API chat requests are sent with. */
  api: ApiName;
  /** What happens when a conversation does not fit the window. */
  contextOverflow: ContextOverflow;
  /** The default reasoning effort, when set. */
  reasoningEffort?: ReasoningEffort;
  /** Whether earlier turns' reasoning is sent back. */
  keepReasoning: boolean;
  /** Whether truncation keeps the first user message. */
  keepFirstUserMessage: boolean;
}

/**
 * @param config The resolved configuration.
 * @param found The model and server, configured or discovered.
 * @returns The settings to show.
 */
export function settingsOf(
  config: ClientConfig,
  found: {
    model?: string | undefined;
    server?: ServerKind | undefined;
    windowInUse?: number | undefined;
    knownWindow?: number | undefined;
  },
): ClientSettings {
  const { transport, model, policy } = config.defaults;
  return {
    baseUrl: config.root,
    ...(found.model ? { model: found.model } : {}),
    ...(found.server ? { server: found.server } : {}),
    hasApiKey: config.hasApiKey,
    maxContextSize: config.maxContextSize,
    ...contextWindowOf(config.maxContextSize, found),
    maxTokens: model.sampling.maxTokens,
    temperature: model.sampling.temperature,
    timeout: { ...transport.timeout },
    maxRetries: transport.maxRetries,
    api: transport.api,
    contextOverflow: policy.contextOverflow,
    ...(model.reasoningEffort
      ? { reasoningEffort: model.reasoningEffort }
      : {}),
    keepReasoning: policy.keepReasoning,
    keepFirstUserMessage: policy.keepFirstUserMessage,
  };
}

function contextWindowOf(
  configured: number | "auto",
  found: { windowInUse?: number | undefined; knownWindow?: number | undefined },
): { contextWindow?: number } {
  if (configured !== "auto") return { contextWindow: configured };
  const window = found.windowInUse ?? found.knownWindow;
  return window === undefined ? {} : { contextWindow: window };
}
