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

import {
  countPieces,
  countRenderedTokens,
} from "../src/context/rendered_tokens.ts";
import { harmonyPathPieces } from "../src/harmony/harmony_path.ts";
import { specialTokenId } from "../src/harmony/special_tokens.ts";
import { vllmRenderer } from "../src/server/vllm_version.ts";
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

/** What the mock's counting endpoints are told by the mock server's options. */
export interface CountingOptions {
  tokenizer?: Tokenizer;
  vllmVersion?: string;
  vllmRender?: boolean;
}

/** The version the mock's vLLM reports by default. */
export const MOCK_VLLM_VERSION = "0.32.0";

/** vLLM 0.30's answer on a render endpoint without `--enable-scale-out`. */
const SCALE_OUT_DISABLED: MockReply = {
  status: 403,
  json: {
    error: {
      message:
        "Scale-out endpoints are disabled. Restart vllm serve with --enable-scale-out to enable them.",
      type: "PermissionDeniedError",
      param: null,
      code: 403,
    },
  },
};

/** vLLM's render of a chat request on its chat path: the prompt's token ids. */
function renderReply(
  body: unknown,
  version: string,
  tokenizer: Tokenizer,
): MockReply {
  const request = (body ?? {}) as {
    messages?: unknown;
    tools?: ToolDefinition[];
    reasoning_effort?: ReasoningEffort;
  };
  if (!Array.isArray(request.messages)) {
    return badRequest("messages is required");
  }
  const { head, messages, footer } = harmonyPathPieces(
    request.messages as ChatMessage[],
    {
      ...(request.tools ? { tools: request.tools } : {}),
      ...(request.reasoning_effort
        ? { reasoningEffort: request.reasoning_effort }
        : {}),
      renderer: vllmRenderer(version) ?? "vllm",
    },
  );
  const tokenIds: number[] = [];
  for (const piece of [...head, ...messages.flat(), ...footer]) {
    if ("special" in piece) tokenIds.push(specialTokenId(piece.special) ?? 0);
    else if (piece.text) {
      tokenIds.push(
        ...new Array(countPieces([piece], tokenizer)).fill(0),
      );
    }
  }
  return {
    json: {
      request_id: "render-mock",
      token_ids: tokenIds,
      sampling_params: {},
      model: "openai/gpt-oss-20b",
    },
  };
}

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
  options: CountingOptions = {},
): MockReply | undefined {
  const tokenizer = options.tokenizer ?? estimatingTokenizer;
  const version = options.vllmVersion ?? MOCK_VLLM_VERSION;
  if (server === "vllm" && request.method === "GET") {
    return request.path === "/version" ? { json: { version } } : undefined;
  }
  if (request.method !== "POST") return undefined;
  if (server === "vllm" && request.path === "/v1/chat/completions/render") {
    return options.vllmRender
      ? renderReply(request.body, version, tokenizer)
      : SCALE_OUT_DISABLED;
  }
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
