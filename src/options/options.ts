/**
 * The client's options, one model for the whole client: the same fields set
 * the client's defaults (`new GptOssClient(config)`) and override them for
 * one call (`generateResponse(messages, options)`), in three groups kept
 * apart: how a request travels ({@link TransportOptions}), what the model is
 * asked ({@link ModelOptions}), and what the client does with the
 * conversation first ({@link ContextPolicyOptions}). The configuration adds
 * the connection; a call adds its signal. Every shape's known keys are
 * listed here, complete by type, so that an unknown key (a typo) is caught
 * the same way everywhere.
 *
 * @module
 */

import type { ApiName } from "../api/mod.ts";
import type { KeyRegistry } from "../checks.ts";
import type { ContextOverflow } from "../context/fit.ts";
import type { Tokenizer } from "../context/tokenizer.ts";
import { DEFAULT_WINDOW } from "../context/window.ts";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../http/read_body.ts";
import { DEFAULT_MAX_RETRIES } from "../http/retry.ts";
import type { Timeouts } from "../http/timeouts.ts";
import type { Logger } from "../logger.ts";
import type { ReasoningEffort } from "../wire/reasoning_effort.ts";
import type { ResponseFormat } from "../wire/response_format.ts";
import type { ServerKind } from "../wire/servers.ts";
import type { ToolChoice, ToolDefinition } from "../wire/tools.ts";

/**
 * How a request travels: its time limits, its retries and extra headers.
 *
 * @example Patient with a slow server, impatient with a silent one
 * ```ts
 * import { GptOssClient, type TransportOptions } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const transport: TransportOptions = { timeout: { headers: 120_000, idle: 10_000 }, maxRetries: 0 };
 * const client = new GptOssClient(transport);
 * assert.equal(client.settings.timeout.idle, 10_000);
 * ```
 */
export interface TransportOptions {
  /**
   * Milliseconds to wait for the response headers, and then for each piece
   * of a stream (default 30000); or each limit apart: `{ headers, idle,
   * total }` (`total` covers the whole call, retries included; none by default).
   */
  timeout?: number | Timeouts;
  /**
   * Retries after a connection failure or a busy status (408, 409, 429, 5xx),
   * with backoff; never once a stream has started. Default 2; 0 turns it off.
   */
  maxRetries?: number;
  /** Extra headers; a call's are added to the client's. */
  headers?: Record<string, string>;
  /**
   * The wire API: `"chat"` (default), OpenAI's chat completions, which
   * every server speaks; `"responses"`, OpenAI's Responses API
   * (`/v1/responses`: vLLM, Ollama 0.13.3+, LM Studio 0.3.29+), stateless,
   * with the same results; or `"ollama"`, Ollama's native `/api/chat`, which
   * takes the client's context window as `num_ctx` and refuses a prompt
   * that does not fit instead of cutting it without a word.
   */
  api?: ApiName;
  /**
   * Send a chat request once more when the server's own parser rejected
   * what the model sampled (llama.cpp's 500 "… does not match the expected
   * … format", vLLM's `HarmonyError`), even with `maxRetries: 0`; never once
   * an answer has started. Default `true`.
   */
  retryParseFailures?: boolean;
}

/**
 * What the model is asked: the model, sampling, reasoning effort, tools,
 * the answer's format, and extra body fields.
 *
 * @example A deterministic, short answer with little reasoning
 * ```ts
 * import type { ModelOptions } from "@gptoss/client";
 * const options: ModelOptions = { temperature: 0, maxTokens: 256, seed: 1, reasoningEffort: "low" };
 * ```
 */
export interface ModelOptions {
  /** The model id. Default: the one the server lists, found once. */
  model?: string;
  /** Sampling temperature, 0 to 2. Default 0.7. */
  temperature?: number;
  /** The most tokens to generate, reasoning included. Default 2048. */
  maxTokens?: number;
  /** Nucleus sampling, 0 to 1. */
  topP?: number;
  /** Text that ends generation. */
  stop?: string | string[];
  /** A seed for reproducible sampling, where the server supports it. */
  seed?: number;
  /** How hard the model thinks: "low", "medium" or "high". Default: the server's (medium). */
  reasoningEffort?: ReasoningEffort;
  /** Functions the model may call. */
  tools?: ToolDefinition[];
  /** Whether and which tool the model must call. */
  toolChoice?: ToolChoice;
  /** The shape the answer must have (JSON, a JSON schema). */
  responseFormat?: ResponseFormat;
  /**
   * Extra fields for the request body, sent as they are (server-specific
   * options); a call's are merged over the client's.
   */
  extraBody?: Record<string, unknown>;
}

/**
 * What the client does with a conversation before sending it.
 *
 * @example Keeping the task statement when old turns must go
 * ```ts
 * import type { ContextPolicyOptions } from "@gptoss/client";
 * const policy: ContextPolicyOptions = { contextOverflow: "truncate", keepFirstUserMessage: true };
 * ```
 */
export interface ContextPolicyOptions {
  /** `"truncate"` (default) drops the oldest turns; `"error"` throws a `ContextSizeError` instead. */
  contextOverflow?: ContextOverflow;
  /** Send the reasoning of earlier turns back to the server. Default `false`. */
  keepReasoning?: boolean;
  /** When old turns must go, keep the first user message (the task) too. Default `false`. */
  keepFirstUserMessage?: boolean;
}

/**
 * Options for one request; each overrides the client's configuration.
 *
 * @example Overriding the client's settings for one call
 * ```ts
 * import { GptOssClient, type RequestOptions } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * await using server = await startMockServer();
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b", temperature: 0.7 });
 * const options: RequestOptions = { temperature: 0, maxTokens: 256, reasoningEffort: "low" };
 * await client.generateResponse([{ role: "user", content: "Hi" }], options);
 * const sent = server.requests.at(-1)!.body as Record<string, unknown>;
 * assert.equal(sent.temperature, 0);
 * assert.equal(sent.reasoning_effort, "low");
 * ```
 */
export interface RequestOptions
  extends TransportOptions, ModelOptions, ContextPolicyOptions {
  /** Cancels the request. */
  signal?: AbortSignal;
  /**
   * With `api: "responses"`: continue the server's stored response of this
   * id instead of sending the whole history; only the messages after the
   * last assistant message are sent, with `store: true`. Works on LM Studio,
   * and on vLLM only when it runs with `VLLM_ENABLE_RESPONSES_API_STORE=1`
   * (otherwise it answers 404); Ollama and llama.cpp ignore it, so the
   * client refuses it there. Per call only.
   */
  previousResponseId?: string;
}

/**
 * Options for calls that only read from the server (`listModels`,
 * `discover`, `testConnection`).
 *
 * @example Giving up on a lookup after two seconds
 * ```ts
 * import { GptOssClient, type LookupOptions } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const options: LookupOptions = { timeout: 2000, maxRetries: 0 };
 * const reachable = await new GptOssClient({ baseUrl: "http://127.0.0.1:9" })
 *   .testConnection(options);
 * assert.equal(reachable, false);
 * ```
 */
export type LookupOptions = Pick<
  RequestOptions,
  "signal" | "timeout" | "maxRetries"
>;

/**
 * Options for `GptOssClient.countTokens`: what the request will send that
 * the prompt contains (tools, effort, kept reasoning), and how to ask.
 *
 * @example Counting locally at high effort
 * ```ts
 * import { GptOssClient, type CountTokensOptions } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const options: CountTokensOptions = { reasoningEffort: "high", local: true };
 * const count = await new GptOssClient().countTokens([{ role: "user", content: "Hi" }], options);
 * assert.equal(count.source, "estimate");
 * ```
 */
export interface CountTokensOptions extends
  Pick<
    RequestOptions,
    | "model"
    | "tools"
    | "reasoningEffort"
    | "keepReasoning"
    | "signal"
    | "timeout"
    | "maxRetries"
  > {
  /** Count locally even when the server could. Default `false`. */
  local?: boolean;
}

/**
 * The client's configuration: the connection, and the defaults of every
 * request (any {@link RequestOptions} field but `signal`). Every field is
 * optional.
 *
 * @example Ollama on its default port
 * ```ts
 * import { GptOssClient, type GptOssConfig } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const config: GptOssConfig = {
 *   baseUrl: "http://localhost:11434/v1",
 *   model: "gpt-oss:20b",
 *   maxContextSize: 8192,
 * };
 * const client = new GptOssClient(config);
 * assert.equal(client.settings.baseUrl, "http://localhost:11434");
 * ```
 */
export interface GptOssConfig
  extends TransportOptions, ModelOptions, ContextPolicyOptions {
  /** The server, with or without `/v1`. Default `"http://localhost:8000"`. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer …`; never logged or shown. Default: none. */
  apiKey?: string;
  /**
   * The model's context window in tokens, or `"auto"` to ask the server
   * (see `discover()`; 8192 when it does not tell). Default 8192.
   */
  maxContextSize?: number | "auto";
  /** The server, when you know it; otherwise discovered or handled generically. */
  server?: ServerKind;
  /** What counts tokens for the context window. Default: the built-in estimator. */
  tokenizer?: Tokenizer;
  /**
   * Split raw harmony text (`<|channel|>analysis<|message|>…`) that some
   * server builds return inside `content` into reasoning, answer and tool
   * calls. Default `true`.
   */
  splitHarmony?: boolean;
  /** The largest answer read whole, in bytes (a JSON body, an error page, one stream event). Default 32 MiB. */
  maxResponseBytes?: number;
  /** The `fetch` to use. Default: the global one. */
  fetch?: typeof fetch;
  /** Where to log. Default: the console, warnings and errors only. */
  logger?: Logger;
}

/**
 * The defaults behind {@link GptOssConfig}: what a client uses where its
 * configuration says nothing.
 *
 * @example Reading the default context window
 * ```ts
 * import { DEFAULT_CONFIG, GptOssClient } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * assert.equal(DEFAULT_CONFIG.maxContextSize, 8192);
 * assert.equal(new GptOssClient().settings.maxTokens, DEFAULT_CONFIG.maxTokens);
 * ```
 */
export const DEFAULT_CONFIG: {
  readonly baseUrl: string;
  readonly maxContextSize: number;
  readonly temperature: number;
  readonly maxTokens: number;
  /** Milliseconds, for the headers and for each silence alike. */
  readonly timeout: number;
  readonly maxRetries: number;
  readonly contextOverflow: ContextOverflow;
  readonly keepReasoning: boolean;
  readonly keepFirstUserMessage: boolean;
  readonly splitHarmony: boolean;
  readonly maxResponseBytes: number;
} = Object.freeze({
  baseUrl: "http://localhost:8000",
  maxContextSize: DEFAULT_WINDOW.maxContextSize,
  temperature: 0.7,
  maxTokens: DEFAULT_WINDOW.maxTokens,
  timeout: 30_000,
  maxRetries: DEFAULT_MAX_RETRIES,
  contextOverflow: "truncate",
  keepReasoning: false,
  keepFirstUserMessage: false,
  splitHarmony: true,
  maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
});

const TRANSPORT_KEYS: KeyRegistry<TransportOptions> = {
  timeout: true,
  maxRetries: true,
  headers: true,
  api: true,
  retryParseFailures: true,
};

const MODEL_KEYS: KeyRegistry<ModelOptions> = {
  model: true,
  temperature: true,
  maxTokens: true,
  topP: true,
  stop: true,
  seed: true,
  reasoningEffort: true,
  tools: true,
  toolChoice: true,
  responseFormat: true,
  extraBody: true,
};

const POLICY_KEYS: KeyRegistry<ContextPolicyOptions> = {
  contextOverflow: true,
  keepReasoning: true,
  keepFirstUserMessage: true,
};

/** The keys of {@link GptOssConfig}. */
export const CONFIG_KEYS: KeyRegistry<GptOssConfig> = {
  ...TRANSPORT_KEYS,
  ...MODEL_KEYS,
  ...POLICY_KEYS,
  baseUrl: true,
  apiKey: true,
  maxContextSize: true,
  server: true,
  tokenizer: true,
  splitHarmony: true,
  maxResponseBytes: true,
  fetch: true,
  logger: true,
};

/** The keys of {@link RequestOptions}. */
export const REQUEST_KEYS: KeyRegistry<RequestOptions> = {
  ...TRANSPORT_KEYS,
  ...MODEL_KEYS,
  ...POLICY_KEYS,
  signal: true,
  previousResponseId: true,
};

/** The keys of {@link LookupOptions}. */
export const LOOKUP_KEYS: KeyRegistry<LookupOptions> = {
  signal: true,
  timeout: true,
  maxRetries: true,
};

/** The keys of {@link CountTokensOptions}. */
export const COUNT_KEYS: KeyRegistry<CountTokensOptions> = {
  ...LOOKUP_KEYS,
  model: true,
  tools: true,
  reasoningEffort: true,
  keepReasoning: true,
  local: true,
};
