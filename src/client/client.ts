/**
 * The client: a façade over the configuration checked once, what it learns
 * of its server, and the chat pipeline. Every public method hides the
 * configured secrets in whatever it throws.
 *
 * @module
 */

import type { ClientConfig } from "../options/client_config.ts";
import { resolveClientConfig } from "../options/client_config.ts";
import {
  type CountTokensOptions,
  type GptOssConfig,
  LOOKUP_KEYS,
  type LookupOptions,
  type RequestOptions,
} from "../options/options.ts";
import { resolveOptions, type Transport } from "../options/resolve.ts";
import { type ModelInfo, readModelList } from "../server/models.ts";
import type { ServerInfo } from "../server/server_info.ts";
import { ServerState } from "../server/server_state.ts";
import type { ChatStream } from "../stream/chat_stream.ts";
import { requestJson } from "../http/request.ts";
import type { ChatCompletion, ChatMessage } from "../types.ts";
import { ChatPipeline } from "./chat_pipeline.ts";
import { type ClientSettings, settingsOf } from "./client_settings.ts";
import { countTokens, type TokenCount } from "./count_tokens.ts";

/**
 * A client for GPT-OSS models served by vLLM, Ollama, llama.cpp's
 * llama-server or LM Studio through their OpenAI-compatible API.
 *
 * @example Asking a question
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { chatCompletionBody, startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = await startMockServer();
 * server.enqueue({ json: chatCompletionBody({ reasoning: "Oslo is the capital.", content: "Oslo." }) });
 * const client = new GptOssClient({ baseUrl: server.url, reasoningEffort: "low" });
 * const completion = await client.generateResponse([
 *   { role: "user", content: "What is the capital of Norway?" },
 * ]);
 * const { content, reasoning } = completion.choices[0].message;
 * assert.equal(reasoning, "Oslo is the capital."); // the model's analysis, kept apart
 * assert.equal(content, "Oslo."); // the final answer
 * ```
 */
export class GptOssClient {
  readonly #config: ClientConfig;
  readonly #state: ServerState;
  readonly #chat: ChatPipeline;

  /**
   * Creates a client; nothing is sent until the first call.
   *
   * @param config The configuration; every field is optional.
   * @throws {ConfigError} For a wrong value, naming the field, the value and
   * what it accepts.
   */
  constructor(config: GptOssConfig = {}) {
    const resolved = resolveClientConfig(config);
    const { transport, model } = resolved.defaults;
    this.#config = resolved;
    this.#state = new ServerState({
      http: resolved.http,
      root: resolved.root,
      logger: resolved.http.logger,
      timeouts: transport.timeout,
      maxRetries: transport.maxRetries,
      ...(model.model ? { model: model.model } : {}),
      ...(resolved.server ? { server: resolved.server } : {}),
    });
    this.#chat = new ChatPipeline(resolved, this.#state);
  }

  /** The configuration in effect, without the API key. */
  get settings(): ClientSettings {
    return settingsOf(this.#config, this.#state);
  }

  /**
   * Checks that the server answers `GET /v1/models`. It throws only for a
   * wrong option; a server that fails gives `false`, and why is logged at
   * debug level (the caller, who handles the answer, says what it means).
   *
   * @param options A signal and a timeout for the check.
   * @returns Whether the server answered with a model list.
   *
   * @example Checking whether a server answers
   * ```ts
   * import { GptOssClient, silentLogger } from "@gptoss/client";
   * import assert from "node:assert/strict";
   * const client = new GptOssClient({ baseUrl: "http://127.0.0.1:9", logger: silentLogger });
   * assert.equal(await client.testConnection({ timeout: 1000 }), false);
   * ```
   */
  async testConnection(options: LookupOptions = {}): Promise<boolean> {
    this.#lookup(options); // a caller's mistake is thrown, not logged
    try {
      // A check answers quickly: no retries unless asked for.
      const models = await this.listModels({ maxRetries: 0, ...options });
      this.#config.http.logger.debug(
        `${this.#config.root} answers and lists ${models.length} model(s).`,
      );
      return true;
    } catch (error) {
      this.#config.http.logger.debug(
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
   * @param options A signal, a timeout and retries.
   * @returns The models, with whatever the server says about each.
   * @throws {GptOssError} A typed error when the server cannot be reached or answers wrongly.
   *
   * @example Listing the served models
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * import assert from "node:assert/strict";
   * await using server = await startMockServer({ models: ["openai/gpt-oss-20b"] });
   * const models = await new GptOssClient({ baseUrl: server.url }).listModels();
   * assert.deepEqual(models.map((m) => m.id), ["openai/gpt-oss-20b"]);
   * ```
   */
  listModels(options: LookupOptions = {}): Promise<ModelInfo[]> {
    return this.#guard(async () => {
      const transport = this.#lookup(options);
      const { body, raw } = await requestJson(this.#config.http, {
        method: "GET",
        url: `${this.#config.root}/v1/models`,
        timeouts: transport.timeout,
        maxRetries: transport.maxRetries,
        ...(transport.signal ? { signal: transport.signal } : {}),
      });
      return readModelList(body, raw);
    });
  }

  /**
   * Finds out which server this is (vLLM, Ollama, llama.cpp, LM Studio),
   * the context window its model runs with, and whether it serves the
   * Responses API (`responsesApi`, for `api: "responses"`), in a few cheap
   * requests. The answer is cached; a server that answers none of the
   * probes is "unknown". (The client's own discovery, for
   * `maxContextSize: "auto"`, does not ask about the Responses API.)
   *
   * @param options A signal, a timeout and retries for each probe.
   * @returns The server, its models, the model used and its context window.
   * @throws {ConnectionError|TimeoutError|AbortError} Only when nothing answers at all.
   *
   * @example Finding out which server is behind a URL
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * import assert from "node:assert/strict";
   * await using server = await startMockServer({ counting: "vllm" });
   * const info = await new GptOssClient({ baseUrl: server.url }).discover();
   * assert.equal(info.server, "vllm");
   * assert.equal(info.model, "openai/gpt-oss-20b");
   * assert.equal(info.contextLength, 131072); // vLLM's max_model_len
   * assert.equal(info.responsesApi, true);
   * ```
   */
  discover(options: LookupOptions = {}): Promise<ServerInfo> {
    return this.#guard(async () => {
      const { timeout, maxRetries, signal } = this.#lookup(options);
      const [info, responsesApi] = await Promise.all([
        this.#state.discover(timeout, maxRetries, signal),
        this.#state.servesResponses(timeout, maxRetries, signal),
      ]);
      return { ...info, responsesApi };
    });
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
   * @example Counting a prompt's tokens on vLLM
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * import assert from "node:assert/strict";
   * await using server = await startMockServer({ counting: "vllm" });
   * const client = new GptOssClient({ baseUrl: server.url });
   * const count = await client.countTokens([{ role: "user", content: "Hi" }]);
   * assert.equal(count.source, "vllm");
   * assert.ok(count.promptTokens > 60); // the template's own system message included
   * ```
   */
  countTokens(
    messages: ChatMessage[],
    options: CountTokensOptions = {},
  ): Promise<TokenCount> {
    return this.#guard(() =>
      countTokens(this.#config, this.#state, messages, options)
    );
  }

  /**
   * Sends a conversation and waits for the whole answer.
   *
   * @param messages The conversation, in OpenAI's shape.
   * @param options Per-call overrides, tools, a response format and a `signal`.
   * @returns The completion; its message has the answer in `content` and the
   * reasoning in `reasoning`, whichever field the server used.
   * @throws {InvalidMessageError} For a message without a known role, or a
   * malformed one among those it would send, before any request (an older
   * one that the fitting drops unread is not read).
   * @throws {ContextSizeError} When the conversation cannot fit the context window.
   * @throws {GptOssError} A typed error for every other failure.
   *
   * @example Getting a whole answer with its reasoning
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * import assert from "node:assert/strict";
   * await using server = await startMockServer();
   * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
   * const completion = await client.generateResponse(
   *   [{ role: "user", content: "Say hi" }],
   *   { temperature: 0, maxTokens: 100, reasoningEffort: "high" },
   * );
   * assert.match(completion.choices[0].message.content!, /Say hi/); // the mock echoes the question
   * assert.equal(completion.choices[0].finish_reason, "stop");
   * ```
   */
  generateResponse(
    messages: ChatMessage[],
    options?: RequestOptions,
  ): Promise<ChatCompletion> {
    return this.#guard(() => this.#chat.generate(messages, options));
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
   * @throws {InvalidMessageError} For a message without a known role, or a
   * malformed one among those it would send (every message with
   * `maxContextSize: "auto"`).
   * @throws {ContextSizeError} When the conversation cannot fit the context window.
   *
   * @example Streaming an answer piece by piece
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { startMockServer } from "@gptoss/client/testing";
   * import assert from "node:assert/strict";
   * await using server = await startMockServer();
   * const client = new GptOssClient({ baseUrl: server.url });
   * let answer = "";
   * for await (const delta of client.streamResponse([{ role: "user", content: "Hi" }])) {
   *   answer += delta.content ?? "";
   * }
   * assert.match(answer, /^You asked: "Hi"/);
   * ```
   */
  streamResponse(
    messages: ChatMessage[],
    options?: RequestOptions,
  ): ChatStream {
    try {
      return this.#chat.stream(messages, options);
    } catch (error) {
      throw this.#config.redactor.error(error);
    }
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
      throw this.#config.redactor.error(error);
    }
  }

  /** A lookup's options merged over the client's. */
  #lookup(options: LookupOptions): Transport {
    return resolveOptions(
      "options",
      options,
      LOOKUP_KEYS,
      this.#config.defaults,
    ).transport;
  }
}
