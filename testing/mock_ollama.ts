/**
 * The mock server behaving like Ollama (v0.33's server/routes.go and
 * server/prompt.go) where it matters to a client: the window a model is
 * loaded with (`num_ctx`, told by `/api/ps` only once loaded), the OpenAI
 * route that cuts a prompt too long for it without a word (oldest messages
 * first, system messages kept, then the prompt itself to about half the
 * window) and reports only a smaller `prompt_tokens`, and the native
 * `/api/chat`, which takes `options.num_ctx` and, with `truncate: false`,
 * refuses a prompt that does not fit.
 *
 * @module
 */

import { countRenderedTokens } from "../src/context/rendered_tokens.ts";
import { estimatingTokenizer } from "../src/context/estimate.ts";
import type { Tokenizer } from "../src/context/tokenizer.ts";
import { renderHarmonyPrompt } from "../src/harmony/prompt.ts";
import type { ChatMessage } from "../src/types.ts";
import type { ToolDefinition } from "../src/wire/tools.ts";
import type { MockReply } from "./mock_reply.ts";
import { ollamaChatBody, ollamaChatStream } from "./ollama_replies.ts";
import type { RecordedRequest } from "./recorded_request.ts";
import { chatCompletionBody, chatCompletionStream } from "./replies.ts";

/**
 * How the mock's Ollama behaves.
 *
 * @example An Ollama whose model is not loaded yet, with a small window
 * ```ts
 * import { startMockServer } from "@gptoss/client/testing";
 * await using server = await startMockServer({
 *   models: ["gpt-oss:20b"],
 *   ollama: { contextLength: 4096, loaded: false },
 * });
 * ```
 */
export interface MockOllamaOptions {
  /** The window (`num_ctx`) the model is loaded with. Default 4096. */
  contextLength?: number;
  /** Whether the model is loaded before the first chat (listed by `/api/ps`). Default `true`. */
  loaded?: boolean;
  /** What `/api/version` says. Default `"0.33.0"`. */
  version?: string;
}

/** The model's trained window, as `/api/show` reports it for gpt-oss. */
const TRAINED_CONTEXT = 131072;
/** Ollama's default `num_keep`, the tokens a cut prompt keeps at its start. */
const NUM_KEEP = 4;

/** One mock Ollama's state: the loaded window. */
export class MockOllama {
  readonly #model: string;
  readonly #tokenizer: Tokenizer;
  readonly #version: string;
  #window: number;
  #loaded: boolean;

  /**
   * @param options How it behaves.
   * @param model The model it serves.
   * @param tokenizer What counts the prompt.
   */
  constructor(
    options: MockOllamaOptions,
    model: string,
    tokenizer: Tokenizer = estimatingTokenizer,
  ) {
    this.#model = model;
    this.#tokenizer = tokenizer;
    this.#version = options.version ?? "0.33.0";
    this.#window = options.contextLength ?? 4096;
    this.#loaded = options.loaded ?? true;
  }

  /** @returns Its reply, or `undefined` for a path it does not serve. */
  reply(request: RecordedRequest): MockReply | undefined {
    const key = `${request.method} ${request.path}`;
    switch (key) {
      case "GET /api/version":
        return { json: { version: this.#version } };
      case "GET /api/ps":
        return { json: { models: this.#loaded ? [this.#entry()] : [] } };
      case "POST /api/show":
        return {
          json: {
            details: { family: "gptoss", parameter_size: "20.9B" },
            model_info: {
              "general.architecture": "gptoss",
              "gptoss.context_length": TRAINED_CONTEXT,
            },
          },
        };
      case "GET /v1/models":
        return {
          json: {
            object: "list",
            data: [{
              id: this.#model,
              object: "model",
              created: 1_764_000_000,
              owned_by: "library",
            }],
          },
        };
      case "POST /v1/chat/completions":
        return this.#openAiChat(request);
      case "POST /api/chat":
        return this.#nativeChat(request);
    }
    return undefined;
  }

  #entry() {
    return {
      name: this.#model,
      model: this.#model,
      size: 14_000_000_000,
      digest: "mock",
      details: { family: "gptoss" },
      expires_at: "2026-12-01T10:05:00Z",
      size_vram: 14_000_000_000,
      context_length: this.#window,
    };
  }

  #count(messages: ChatMessage[], tools?: ToolDefinition[]): number {
    return countRenderedTokens(
      renderHarmonyPrompt(messages, tools ? { tools } : {}),
      this.#tokenizer,
    );
  }

  /**
   * `chatPrompt` with truncation: the oldest messages go (system messages
   * stay, the last always), then a prompt still too long is cut to about
   * half the window.
   *
   * @returns What the model reads: the messages kept and their tokens.
   */
  #fit(
    messages: ChatMessage[],
    tools: ToolDefinition[] | undefined,
  ): { kept: ChatMessage[]; tokens: number } {
    for (let i = 0; i < messages.length; i++) {
      const kept = [
        ...messages.slice(0, i).filter((m) => m.role === "system"),
        ...messages.slice(i),
      ];
      const tokens = this.#count(kept, tools);
      if (tokens <= this.#window) return { kept, tokens };
      if (i === messages.length - 1) {
        const limit = this.#window -
          Math.max(Math.floor((this.#window - NUM_KEEP) / 2), 1);
        return { kept, tokens: Math.min(tokens, limit) };
      }
    }
    return { kept: messages, tokens: this.#count(messages, tools) };
  }

  #answer(kept: ChatMessage[]) {
    const question = [...kept].reverse().find((m) => m.role === "user");
    const asked = typeof question?.content === "string"
      ? question.content
      : "(no question)";
    return {
      reasoning: `The user asks: "${asked}".`,
      content: `You asked: "${asked}". This answer comes from the mock Ollama.`,
    };
  }

  #openAiChat(request: RecordedRequest): MockReply {
    const body = (request.body ?? {}) as {
      messages?: ChatMessage[];
      tools?: ToolDefinition[];
      stream?: boolean;
    };
    this.#loaded = true;
    const { kept, tokens } = this.#fit(body.messages ?? [], body.tools);
    const answer = this.#answer(kept);
    const completion = Math.ceil(
      (answer.content.length + answer.reasoning.length) / 4,
    );
    const spec = {
      ...answer,
      model: this.#model,
      usage: {
        prompt_tokens: tokens,
        completion_tokens: completion,
        total_tokens: tokens + completion,
      },
    };
    return body.stream
      ? { sse: chatCompletionStream(spec), writes: "event" }
      : { json: chatCompletionBody(spec) };
  }

  #nativeChat(request: RecordedRequest): MockReply {
    const body = (request.body ?? {}) as {
      messages?: { role: ChatMessage["role"]; content?: string }[];
      tools?: ToolDefinition[];
      stream?: boolean;
      truncate?: boolean;
      options?: { num_ctx?: number };
    };
    const numCtx = body.options?.num_ctx;
    if (typeof numCtx === "number" && numCtx > 0) this.#window = numCtx;
    this.#loaded = true;
    const messages = (body.messages ?? []).map((m) =>
      ({ role: m.role, content: m.content ?? "" }) as ChatMessage
    );
    let kept = messages;
    let tokens = this.#count(messages, body.tools);
    if (tokens > this.#window) {
      if (body.truncate === false) {
        return {
          status: 400,
          json: { error: "the input length exceeds the context length" },
        };
      }
      ({ kept, tokens } = this.#fit(messages, body.tools));
    }
    const spec = {
      ...this.#answer(kept),
      model: this.#model,
      promptTokens: tokens,
    };
    // Streaming is the native API's default.
    return body.stream === false
      ? { json: ollamaChatBody(spec) }
      : { ndjson: ollamaChatStream(spec), writes: "line" };
  }
}
