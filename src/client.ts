/**
 * The client: configuration checked once, then chat completions, streamed or
 * not, with the context window enforced before every request.
 *
 * @module
 */

import { ChatStream } from "./chat_stream.ts";
import { type ClientDefaults, resolveClientConfig } from "./client_config.ts";
import { normaliseCompletion } from "./completion.ts";
import { checkTimeout, type GptOssConfig } from "./config.ts";
import type { Tokenizer } from "./context/tokenizer.ts";
import { errorFromBody, excerpt, readServerError } from "./error_body.ts";
import { type FittedMessages, fitToContext } from "./fit_context.ts";
import { type HttpContext, openRequest, requestJson } from "./http.ts";
import type { Logger } from "./logger.ts";
import { assertValidMessages } from "./messages.ts";
import type { Redactor } from "./redact.ts";
import { type ModelInfo, pickModel, readModelList } from "./models.ts";
import {
  type RequestOptions,
  type ResolvedRequest,
  resolveRequestOptions,
} from "./request_options.ts";
import { untilAborted } from "./until_aborted.ts";
import type { ChatCompletion, ChatMessage } from "./types.ts";

/**
 * What a client was configured with, safe to print: never the API key.
 *
 * @example
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * console.log(new GptOssClient().settings.baseUrl); // "http://localhost:8000"
 * ```
 */
export interface ClientSettings {
  /** The server's address, normalised, without credentials. */
  baseUrl: string;
  /** The configured model, or the one discovered, if known yet. */
  model?: string;
  /** The context window in tokens. */
  maxContextSize: number;
  /** The default sampling temperature. */
  temperature: number;
  /** The default limit of generated tokens. */
  maxTokens: number;
  /** Milliseconds to wait for headers, then for each piece of a stream. */
  timeout: number;
  /** What happens when a conversation does not fit the window. */
  contextOverflow: "truncate" | "error";
  /** Whether an API key is set (the key itself is never shown). */
  hasApiKey: boolean;
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
 * const client = new GptOssClient({ baseUrl: server.url });
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
  #model: string | undefined;
  #discovery: Promise<string> | undefined;

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
    this.#model = resolved.model;
    this.#http = resolved.http;
    this.#logger = resolved.http.logger;
    this.#redactor = resolved.redactor;
    this.#tokenizer = resolved.tokenizer;
    this.#hasApiKey = resolved.hasApiKey;
    this.#splitHarmony = resolved.splitHarmony;
  }

  /** The configuration in effect, without the API key. */
  get settings(): ClientSettings {
    return {
      baseUrl: this.#root,
      ...(this.#model ? { model: this.#model } : {}),
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
   * @example
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * const client = new GptOssClient({ baseUrl: "http://127.0.0.1:9" });
   * console.log(await client.testConnection({ timeout: 1000 })); // false
   * ```
   */
  async testConnection(
    options: { signal?: AbortSignal; timeout?: number } = {},
  ): Promise<boolean> {
    try {
      const models = await this.listModels(options);
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
   * @example
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * await using server = await startMockServer({ models: ["openai/gpt-oss-20b"] });
   * const models = await new GptOssClient({ baseUrl: server.url }).listModels();
   * console.log(models.map((m) => m.id)); // ["openai/gpt-oss-20b"]
   * ```
   */
  listModels(
    options: { signal?: AbortSignal; timeout?: number } = {},
  ): Promise<ModelInfo[]> {
    return this.#guard(async () => {
      const timeout = options.timeout === undefined
        ? this.#defaults.timeout
        : checkTimeout("options.timeout", options.timeout);
      const { body, raw } = await requestJson(this.#http, {
        method: "GET",
        url: `${this.#root}/v1/models`,
        timeoutMs: timeout,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return readModelList(body, raw);
    });
  }

  /**
   * Sends a conversation and waits for the whole answer.
   *
   * @param messages The conversation, in OpenAI's shape.
   * @param options Per-call overrides and a `signal`.
   * @returns The completion; its message has the answer in `content` and the
   * reasoning in `reasoning`, whichever field the server used.
   * @throws {InvalidMessageError} For a malformed message, before any request.
   * @throws {ContextSizeError} When the conversation cannot fit the context window.
   * @throws {GptOssError} A typed error for every other failure.
   *
   * @example
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * await using server = await startMockServer();
   * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
   * const completion = await client.generateResponse(
   *   [{ role: "user", content: "Say hi" }],
   *   { temperature: 0, maxTokens: 100 },
   * );
   * console.log(completion.choices[0].message.content);
   * ```
   */
  generateResponse(
    messages: ChatMessage[],
    options?: RequestOptions,
  ): Promise<ChatCompletion> {
    return this.#guard(async () => {
      const request = resolveRequestOptions(options, this.#requestDefaults());
      assertValidMessages(messages);
      const fitted = this.#fit(messages, request);
      const model = await this.#resolveModel(request);
      const url = `${this.#root}/v1/chat/completions`;
      const { body, raw } = await requestJson(this.#http, {
        method: "POST",
        url,
        body: {
          model,
          messages: fitted.messages,
          stream: false,
          ...request.sampling,
        },
        timeoutMs: request.timeout,
        headers: request.headers,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      if (readServerError(body)) {
        throw errorFromBody({ status: 200, url }, excerpt(raw), body);
      }
      const completion = normaliseCompletion(body, raw, {
        splitHarmony: this.#splitHarmony,
      });
      if (fitted.truncation) completion.truncation = fitted.truncation;
      return completion;
    });
  }

  /**
   * Sends a conversation and streams the answer. Caller mistakes (a malformed
   * message, a wrong option, a conversation that cannot fit) throw here, at
   * once; the request itself starts when the stream is first read.
   *
   * @param messages The conversation, in OpenAI's shape.
   * @param options Per-call overrides and a `signal`.
   * @returns The stream: iterate it for deltas, or await `completion()`.
   * @throws {InvalidMessageError} For a malformed message.
   * @throws {ContextSizeError} When the conversation cannot fit the context window.
   *
   * @example
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
    let fitted: FittedMessages;
    try {
      request = resolveRequestOptions(options, this.#requestDefaults());
      assertValidMessages(messages);
      fitted = this.#fit(messages, request);
    } catch (error) {
      throw this.#redactor.error(error);
    }
    const url = `${this.#root}/v1/chat/completions`;
    const open = async () => {
      const model = await this.#resolveModel(request);
      return openRequest(this.#http, {
        method: "POST",
        url,
        body: {
          model,
          messages: fitted.messages,
          stream: true,
          stream_options: { include_usage: true },
          ...request.sampling,
        },
        timeoutMs: request.timeout,
        headers: request.headers,
        accept: "text/event-stream",
        ...(request.signal ? { signal: request.signal } : {}),
      });
    };
    return new ChatStream(open, {
      url,
      ...(fitted.truncation ? { truncation: fitted.truncation } : {}),
      scrub: (error) => this.#redactor.error(error),
      splitHarmony: this.#splitHarmony,
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

  #requestDefaults() {
    return {
      ...this.#defaults,
      ...(this.#model ? { model: this.#model } : {}),
    };
  }

  #fit(messages: ChatMessage[], request: ResolvedRequest) {
    return fitToContext(messages, {
      maxContextSize: this.#defaults.maxContextSize,
      maxTokens: request.maxTokens,
      tokenizer: this.#tokenizer,
      policy: request.contextOverflow,
      logger: this.#logger,
    });
  }

  /** The model for a request: given, configured, or discovered once and shared. */
  async #resolveModel(request: ResolvedRequest): Promise<string> {
    if (request.model) return request.model;
    if (this.#model) return this.#model;
    this.#discovery ??= this.listModels({ timeout: this.#defaults.timeout })
      .then((models) => {
        const id = pickModel(models, this.#root);
        this.#model = id;
        this.#logger.info(
          `Using model ${JSON.stringify(id)}, the one ${this.#root} serves.`,
        );
        return id;
      });
    const discovery = this.#discovery;
    try {
      return await untilAborted(discovery, request.signal);
    } catch (error) {
      // A failed discovery is tried again on the next request.
      if (this.#discovery === discovery && !this.#model) {
        this.#discovery = undefined;
      }
      throw error;
    }
  }
}
