/**
 * The client: configuration checked once, then chat completions, streamed or
 * not, with the context window enforced before every request.
 *
 * @module
 */

import { ChatStream, type OpenedStream } from "../stream/chat_stream.ts";
import { type ClientDefaults, resolveClientConfig } from "../options/client_config.ts";
import { normaliseCompletion } from "../api/chat/completion.ts";
import {
  checkNonNegativeInteger,
  checkTokenBudget,
  type GptOssConfig,
} from "../options/config.ts";
import {
  resolveTimeouts,
  type Timeouts,
  type TimeoutSettings,
} from "../http/timeouts.ts";
import type { Tokenizer } from "../context/tokenizer.ts";
import type { ServerInfo } from "../server/server_info.ts";
import { errorFromBody, excerpt, readServerError } from "../http/error_body.ts";
import { type FittedMessages, fitToContext } from "../context/fit.ts";
import { prepareHistory } from "../context/history.ts";
import { type HttpContext, openRequest, requestJson } from "../http/request.ts";
import type { Logger } from "../logger.ts";
import { assertValidMessages } from "../wire/messages.ts";
import { type ModelInfo, readModelList } from "../server/models.ts";
import type { Redactor } from "../redact.ts";
import { buildChatBody } from "../api/chat/request_body.ts";
import {
  type RequestOptions,
  type ResolvedRequest,
  resolveRequestOptions,
} from "../options/request_options.ts";
import type { ServerKind } from "../wire/servers.ts";
import { ServerState } from "../server/server_state.ts";
import {
  countPromptTokens,
  type CountTokensOptions,
  resolveCountTokensOptions,
  type TokenCount,
} from "./count_tokens.ts";
import { computeStats } from "../stream/stats.ts";
import type { ChatCompletion, ChatMessage } from "../types.ts";

/**
 * What a client was configured with, safe to print: never the API key.
 *
 * @example Reading the settings a client resolved
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * console.log(new GptOssClient().settings.baseUrl); // "http://localhost:8000"
 * ```
 */
export interface ClientSettings extends ClientDefaults {
  /** The server's address, normalised, without credentials. */
  baseUrl: string;
  /** The configured model, or the one discovered, if known yet. */
  model?: string;
  /** The server, when configured or discovered. */
  server?: ServerKind;
  /** Whether an API key is set (the key itself is never shown). */
  hasApiKey: boolean;
}

/**
 * Options for calls that only read from the server.
 *
 * @example Giving up on a lookup after two seconds
 * ```ts
 * import { GptOssClient, type LookupOptions } from "@gptoss/client";
 * const options: LookupOptions = { timeout: 2000, maxRetries: 0 };
 * const reachable = await new GptOssClient({ baseUrl: "http://127.0.0.1:9" })
 *   .testConnection(options);
 * console.log(reachable); // false
 * ```
 */
export interface LookupOptions {
  /** Cancels the lookup. */
  signal?: AbortSignal;
  /** Milliseconds to wait for each answer, or `{ headers, idle, total }`. */
  timeout?: number | TimeoutSettings;
  /** Retries after a connection failure or a busy status; the client's by default (0 for testConnection). */
  maxRetries?: number;
}

/**
 * A client for GPT-OSS models served by vLLM, Ollama, llama.cpp's
 * llama-server or LM Studio through their OpenAI-compatible API.
 *
 * @example Asking a question
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 *
 * await using server = await startMockServer();
 * const client = new GptOssClient({ baseUrl: server.url, reasoningEffort: "low" });
 * const completion = await client.generateResponse([
 *   { role: "user", content: "What is the capital of Norway?" },
 * ]);
 * const { content, reasoning } = completion.choices[0].message;
 * console.log(reasoning); // the model's analysis
 * console.log(content); // the final answer
 * ```
 */
export class GptOssClient {
  readonly #root: string;
  readonly #http: HttpContext;
  readonly #logger: Logger;
  readonly #redactor: Redactor;
  readonly #tokenizer: Tokenizer;
  readonly #defaults: ClientDefaults;
  readonly #hasApiKey: boolean;
  readonly #splitHarmony: boolean;
  readonly #state: ServerState;

  /**
   * Creates a client; nothing is sent until the first call.
   *
   * @param config The configuration; every field is optional.
   * @throws {ConfigError} For a wrong value, naming the field, the value and
   * what it accepts.
   */
  constructor(config: GptOssConfig = {}) {
    const resolved = resolveClientConfig(config);
    this.#root = resolved.root;
    this.#defaults = resolved.defaults;
    this.#http = resolved.http;
    this.#logger = resolved.http.logger;
    this.#redactor = resolved.redactor;
    this.#tokenizer = resolved.tokenizer;
    this.#hasApiKey = resolved.hasApiKey;
    this.#splitHarmony = resolved.splitHarmony;
    this.#state = new ServerState({
      http: resolved.http,
      root: resolved.root,
      logger: resolved.http.logger,
      timeouts: resolved.defaults.timeout,
      maxRetries: resolved.defaults.maxRetries,
      ...(resolved.model ? { model: resolved.model } : {}),
      ...(resolved.server ? { server: resolved.server } : {}),
    });
  }

  /** The configuration in effect, without the API key. */
  get settings(): ClientSettings {
    const { model, server } = this.#state;
    return {
      baseUrl: this.#root,
      ...(model ? { model } : {}),
      ...(server ? { server } : {}),
      ...this.#defaults,
      hasApiKey: this.#hasApiKey,
    };
  }

  /**
   * Checks that the server answers `GET /v1/models`. Never throws: it logs
   * why it failed (at warn level) and returns `false`.
   *
   * @param options A signal and a timeout for the check.
   * @returns Whether the server answered with a model list.
   *
   * @example Checking whether a server answers
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * const client = new GptOssClient({ baseUrl: "http://127.0.0.1:9" });
   * console.log(await client.testConnection({ timeout: 1000 })); // false
   * ```
   */
  async testConnection(options: LookupOptions = {}): Promise<boolean> {
    try {
      // A check answers quickly: no retries unless asked for.
      const models = await this.listModels({ maxRetries: 0, ...options });
      this.#logger.debug(
        `${this.#root} answers and lists ${models.length} model(s).`,
      );
      return true;
    } catch (error) {
      this.#logger.warn(
        `Connection test failed: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return false;
    }
  }

  /**
   * Lists the models the server serves (`GET /v1/models`).
   *
   * @param options A signal and a timeout.
   * @returns The models, with whatever the server says about each.
   * @throws {GptOssError} A typed error when the server cannot be reached or answers wrongly.
   *
   * @example Listing the served models
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * await using server = await startMockServer({ models: ["openai/gpt-oss-20b"] });
   * const models = await new GptOssClient({ baseUrl: server.url }).listModels();
   * console.log(models.map((m) => m.id)); // ["openai/gpt-oss-20b"]
   * ```
   */
  listModels(options: LookupOptions = {}): Promise<ModelInfo[]> {
    return this.#guard(async () => {
      const { body, raw } = await requestJson(this.#http, {
        method: "GET",
        url: `${this.#root}/v1/models`,
        timeouts: this.#lookupTimeout(options),
        maxRetries: this.#lookupRetries(options),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return readModelList(body, raw);
    });
  }

  /**
   * Finds out which server this is (vLLM, Ollama, llama.cpp, LM Studio) and
   * the context window its model runs with, in a few cheap requests. The
   * answer is cached; a server that answers none of the probes is "unknown".
   *
   * @param options A signal and a timeout for each probe.
   * @returns The server, its models, the model used and its context window.
   * @throws {ConnectionError|TimeoutError|AbortError} Only when nothing answers at all.
   *
   * @example Finding out which server is behind a URL
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * await using server = await startMockServer();
   * const info = await new GptOssClient({ baseUrl: server.url }).discover();
   * console.log(info.server, info.model, info.contextLength);
   * ```
   */
  discover(options: LookupOptions = {}): Promise<ServerInfo> {
    return this.#guard(() =>
      this.#state.discover(this.#lookupTimeout(options), options.signal)
    );
  }

  /**
   * Counts a conversation's prompt tokens as the server will see them. vLLM
   * and llama.cpp count it themselves (vLLM's `/tokenize`, llama.cpp's
   * `/apply-template` then `/tokenize`): the count is the server's own. Where
   * the server cannot count (Ollama, LM Studio, or an endpoint that answers
   * 404), the client counts locally: exactly with `gptOssTokenizer`, or with
   * the built-in estimator. Earlier turns' reasoning is left out as in a request.
   *
   * @param messages The conversation.
   * @param options Tools and reasoning effort (both part of the prompt),
   * `local` to skip the server, a signal and a timeout.
   * @returns The prompt's tokens, who counted them, and whether they are exact.
   * @throws {InvalidMessageError} For a malformed message, before any request.
   * @throws {GptOssError} When the server fails for another reason than having
   * no counting endpoint.
   *
   * @example Counting a prompt's tokens exactly on vLLM
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * await using server = await startMockServer({ counting: "vllm" });
   * const client = new GptOssClient({ baseUrl: server.url });
   * const count = await client.countTokens([{ role: "user", content: "Hi" }]);
   * console.log(count.promptTokens, count.source, count.exact); // … "vllm" true
   * ```
   */
  countTokens(
    messages: ChatMessage[],
    options: CountTokensOptions = {},
  ): Promise<TokenCount> {
    return this.#guard(async () => {
      assertValidMessages(messages);
      const timeouts = this.#lookupTimeout(options);
      const { local, tools, reasoningEffort, keepReasoning } =
        resolveCountTokensOptions(options, this.#defaults);
      let server = this.#state.server;
      if (!local && !server) {
        // Knowing the server saves a probe of an endpoint it does not have.
        const info = await this.#state.discover(timeouts, options.signal);
        server = info.server === "unknown" ? undefined : info.server;
      }
      const model = options.model ?? this.#state.model;
      return countPromptTokens({
        http: this.#http,
        root: this.#root,
        timeouts,
        maxRetries: this.#lookupRetries(options),
        logger: this.#logger,
        tokenizer: this.#tokenizer,
        server,
        local,
        messages: prepareHistory(messages, {
          keepReasoning,
          ...(server ? { server } : {}),
        }),
        ...(model ? { model } : {}),
        ...(tools ? { tools } : {}),
        ...(reasoningEffort ? { reasoningEffort } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    });
  }

  /**
   * Sends a conversation and waits for the whole answer.
   *
   * @param messages The conversation, in OpenAI's shape.
   * @param options Per-call overrides, tools, a response format and a `signal`.
   * @returns The completion; its message has the answer in `content` and the
   * reasoning in `reasoning`, whichever field the server used.
   * @throws {InvalidMessageError} For a malformed message, before any request.
   * @throws {ContextSizeError} When the conversation cannot fit the context window.
   * @throws {GptOssError} A typed error for every other failure.
   *
   * @example Getting a whole answer with its reasoning
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * await using server = await startMockServer();
   * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
   * const completion = await client.generateResponse(
   *   [{ role: "user", content: "Say hi" }],
   *   { temperature: 0, maxTokens: 100, reasoningEffort: "high" },
   * );
   * console.log(completion.choices[0].message.content);
   * ```
   */
  generateResponse(
    messages: ChatMessage[],
    options?: RequestOptions,
  ): Promise<ChatCompletion> {
    return this.#guard(async () => {
      const request = this.#resolve(options);
      assertValidMessages(messages);
      const started = performance.now();
      const { body, fitted } = await this.#prepare(messages, request, false);
      const url = `${this.#root}/v1/chat/completions`;
      const { body: answer, raw } = await requestJson(this.#http, {
        method: "POST",
        url,
        body,
        timeouts: request.timeout,
        maxRetries: request.maxRetries,
        headers: request.headers,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      if (readServerError(answer)) {
        throw errorFromBody({ status: 200, url }, excerpt(raw), answer);
      }
      const completion = normaliseCompletion(answer, raw, {
        splitHarmony: this.#splitHarmony,
      });
      if (fitted.truncation) completion.truncation = fitted.truncation;
      completion.stats = computeStats({
        startedAt: started,
        endedAt: performance.now(),
      }, completion);
      return completion;
    });
  }

  /**
   * Sends a conversation and streams the answer. Caller mistakes (a malformed
   * message, a wrong option, a conversation that cannot fit) throw here, at
   * once; the request itself starts when the stream is first read. (With
   * `maxContextSize: "auto"`, a conversation that cannot fit is found once
   * the server has told its window, and ends the stream instead.)
   *
   * @param messages The conversation, in OpenAI's shape.
   * @param options Per-call overrides, tools, a response format and a `signal`.
   * @returns The stream: iterate it for deltas, or await `completion()`.
   * @throws {InvalidMessageError} For a malformed message.
   * @throws {ContextSizeError} When the conversation cannot fit the context window.
   *
   * @example Streaming an answer piece by piece
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * await using server = await startMockServer();
   * const client = new GptOssClient({ baseUrl: server.url });
   * let answer = "";
   * for await (const delta of client.streamResponse([{ role: "user", content: "Hi" }])) {
   *   answer += delta.content ?? "";
   * }
   * console.log(answer);
   * ```
   */
  streamResponse(
    messages: ChatMessage[],
    options?: RequestOptions,
  ): ChatStream {
    let request: ResolvedRequest;
    let early: FittedMessages | undefined;
    try {
      request = this.#resolve(options);
      assertValidMessages(messages);
      // A known window is checked now, so that a conversation that cannot fit throws at once.
      const window = this.#defaults.maxContextSize;
      if (window !== "auto") {
        early = this.#fitHistory(messages, request, window);
      }
    } catch (error) {
      throw this.#redactor.error(error);
    }
    const url = `${this.#root}/v1/chat/completions`;
    const open = async (): Promise<OpenedStream> => {
      const { body, fitted } = await this.#prepare(
        messages,
        request,
        true,
        early,
      );
      const opened = await openRequest(this.#http, {
        method: "POST",
        url,
        body,
        timeouts: request.timeout,
        maxRetries: request.maxRetries,
        headers: request.headers,
        accept: "text/event-stream",
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return fitted.truncation
        ? { ...opened, truncation: fitted.truncation }
        : opened;
    };
    return new ChatStream(open, {
      url,
      ...(early?.truncation ? { truncation: early.truncation } : {}),
      scrub: (error) => this.#redactor.error(error),
      splitHarmony: this.#splitHarmony,
      ...(this.#http.maxResponseBytes
        ? { maxResponseBytes: this.#http.maxResponseBytes }
        : {}),
    });
  }

  /** What the client shows of itself in `Deno.inspect` and `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    return `GptOssClient ${JSON.stringify(this.settings)}`;
  }

  /** What the client shows of itself in Node's `util.inspect`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `GptOssClient ${JSON.stringify(this.settings)}`;
  }

  /**
   * The settings, so that `JSON.stringify(client)` shows no secret.
   *
   * @returns The same as {@link GptOssClient.settings}.
   */
  toJSON(): ClientSettings {
    return this.settings;
  }

  /** Runs work, hiding every configured secret in whatever it throws. */
  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.#redactor.error(error);
    }
  }

  #resolve(options: RequestOptions | undefined): ResolvedRequest {
    return resolveRequestOptions(options, {
      ...this.#defaults,
      ...(this.#state.model ? { model: this.#state.model } : {}),
    });
  }

  #lookupTimeout(options: LookupOptions): Timeouts {
    return resolveTimeouts(
      "options.timeout",
      options.timeout,
      this.#defaults.timeout,
    );
  }

  #lookupRetries(options: { maxRetries?: number }): number {
    return options.maxRetries === undefined
      ? this.#defaults.maxRetries
      : checkNonNegativeInteger("options.maxRetries", options.maxRetries);
  }

  /** Everything a request needs that may take a request of its own: the model, the window, the body. */
  async #prepare(
    messages: ChatMessage[],
    request: ResolvedRequest,
    stream: boolean,
    fitted?: FittedMessages,
  ): Promise<{ body: Record<string, unknown>; fitted: FittedMessages }> {
    if (!fitted) {
      const window = await this.#state.contextWindow(
        this.#defaults.maxContextSize,
        request.signal,
      );
      fitted = this.#fitHistory(messages, request, window);
    }
    const model = await this.#state.resolveModel(request.model, request.signal);
    const body = buildChatBody({
      model,
      messages: fitted.messages,
      stream,
      request,
      server: this.#state.server,
    });
    return { body, fitted };
  }

  /** Drops earlier turns' reasoning, then fits the window. */
  #fitHistory(
    messages: ChatMessage[],
    request: ResolvedRequest,
    window: number,
  ): FittedMessages {
    checkTokenBudget(request.maxTokens, window);
    const server = this.#state.server;
    const prepared = prepareHistory(messages, {
      keepReasoning: request.keepReasoning,
      ...(server ? { server } : {}),
    });
    return fitToContext(prepared, {
      maxContextSize: window,
      maxTokens: request.maxTokens,
      tokenizer: this.#tokenizer,
      policy: request.contextOverflow,
      logger: this.#logger,
      ...(request.tools ? { tools: request.tools } : {}),
      ...(request.reasoningEffort
        ? { reasoningEffort: request.reasoningEffort }
        : {}),
      ...(request.keepFirstUserMessage ? { keepFirstUserMessage: true } : {}),
    });
  }
}
