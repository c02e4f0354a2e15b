/**
 * The mock server's token counting endpoints, shaped like the real ones:
 * vLLM's `POST /tokenize` for a prompt or chat messages, and llama.cpp's
 * `POST /apply-template` and `POST /tokenize`. The prompt is rendered as the
 * gpt-oss chat template renders it and counted with the tokenizer the mock
 * was given (the built-in estimator by default; `gptOssTokenizer` for exact
 * counts).
 *
 * @module
 */

import { countRenderedTokens } from "../src/context/count.ts";
import { estimatingTokenizer } from "../src/context/estimate.ts";
import { renderHarmonyPrompt } from "../src/harmony/prompt.ts";
import type { Tokenizer } from "../src/context/tokenizer.ts";
import type { ReasoningEffort } from "../src/wire/reasoning_effort.ts";
import type { ToolDefinition } from "../src/wire/tools.ts";
import type { ChatMessage } from "../src/types.ts";
import type { MockReply } from "./mock_reply.ts";
import type { RecordedRequest } from "./recorded_request.ts";

/**
 * Which server's counting endpoints the mock serves.
 *
 * @example Serving llama.cpp's counting endpoints
 * ```ts
 * import { type CountingServer, startMockServer } from "@gptoss/client/testing";
 * import { gptOssTokenizer } from "@gptoss/client/tokenizer";
 * import assert from "node:assert/strict";
 * const counting: CountingServer = "llamacpp";
 * await using server = await startMockServer({ counting, tokenizer: gptOssTokenizer });
 * const reply = await fetch(`${server.url}/tokenize`, {
 *   method: "POST",
 *   body: JSON.stringify({ content: "Hello world" }),
 * });
 * assert.deepEqual((await reply.json()).tokens, gptOssTokenizer.encode("Hello world"));
 * ```
 */
export type CountingServer = "vllm" | "llamacpp";

/** The context window the mock's vLLM reports as `max_model_len`. */
export const MOCK_MAX_MODEL_LEN = 131072;

interface ChatTemplateBody {
  messages?: unknown;
  tools?: ToolDefinition[];
  chat_template_kwargs?: { reasoning_effort?: ReasoningEffort };
}

function render(body: ChatTemplateBody): string | undefined {
  if (!Array.isArray(body.messages)) return undefined;
  const effort = body.chat_template_kwargs?.reasoning_effort;
  return renderHarmonyPrompt(body.messages as ChatMessage[], {
    ...(body.tools ? { tools: body.tools } : {}),
    ...(effort ? { reasoningEffort: effort } : {}),
  });
}

function ids(text: string, tokenizer: Tokenizer): number[] {
  return tokenizer.encode?.(text) ??
    new Array(countRenderedTokens(text, tokenizer)).fill(0);
}

function badRequest(message: string): MockReply {
  return {
    status: 400,
    json: { error: { message, type: "invalid_request_error" } },
  };
}

/**
 * @param request The request, when it is a POST to a counting path.
 * @param server Whose endpoints to serve.
 * @param tokenizer What counts.
 * @returns The reply, or `undefined` when the path is not a counting one.
 */
export function countingReply(
  request: RecordedRequest,
  server: CountingServer,
  tokenizer: Tokenizer = estimatingTokenizer,
): MockReply | undefined {
  if (request.method !== "POST") return undefined;
  const body = (request.body ?? {}) as ChatTemplateBody & { content?: unknown };
  if (server === "vllm" && request.path === "/tokenize") {
    // Like vLLM: a prompt is tokenized as it is (special tokens parsed),
    // messages are rendered with the chat template first.
    const prompt = typeof (body as { prompt?: unknown }).prompt === "string"
      ? (body as { prompt: string }).prompt
      : render(body);
    if (prompt === undefined) {
      return badRequest("messages or prompt is required");
    }
    const tokens = ids(prompt, tokenizer);
    return {
      json: {
        count: tokens.length,
        max_model_len: MOCK_MAX_MODEL_LEN,
        tokens,
        token_strs: null,
      },
    };
  }
  if (server === "llamacpp" && request.path === "/apply-template") {
    const prompt = render(body);
    if (prompt === undefined) return badRequest("messages is required");
    return { json: { prompt } };
  }
  if (server === "llamacpp" && request.path === "/tokenize") {
    if (typeof body.content !== "string") {
      return badRequest("content is required");
    }
    return { json: { tokens: ids(body.content, tokenizer) } };
  }
  return undefined;
}
