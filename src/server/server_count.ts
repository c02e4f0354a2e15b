/**
 * Asks the server to count a conversation's prompt tokens, where it can:
 * vLLM's `POST /tokenize` takes chat messages and renders them with the
 * model's chat template; llama.cpp's `POST /apply-template` renders them and
 * its `POST /tokenize` counts the result. Ollama and LM Studio have no such
 * endpoint. A server without one answers 404 (or 405, 501), and the caller
 * falls back to counting locally.
 *
 * Sources: vLLM's TokenizeChatRequest and TokenizeResponse
 * (vllm/entrypoints/openai/protocol.py); llama.cpp's tools/server/README.md
 * (`/apply-template`, `/tokenize` with `parse_special`).
 *
 * @module
 */

import { ApiError } from "../errors/mod.ts";
import { piecesText } from "../harmony/encoding.ts";
import { harmonyPathPieces } from "../harmony/harmony_path.ts";
import { callServer, type ServerCall } from "../http/request.ts";
import type { ReasoningEffort } from "../wire/reasoning_effort.ts";
import { withReasoningFields } from "../wire/messages.ts";
import { type ServerKind, traitsOf } from "../wire/servers.ts";
import type { ToolDefinition } from "../wire/tools.ts";
import type { ChatMessage } from "../types.ts";

/** What the server was asked to count. */
export interface ServerCountRequest extends ServerCall {
  model?: string;
  messages: ChatMessage[];
  tools?: readonly ToolDefinition[];
  reasoningEffort?: ReasoningEffort;
}

/** A count the server made. */
export interface ServerCount {
  promptTokens: number;
  /** The server that counted. */
  server: "vllm" | "llamacpp";
  /** Whether the count is the one the server's chat path makes of the request. */
  exact: boolean;
  /** vLLM's `max_model_len`, when it says. */
  maxContextSize?: number;
}

/** Statuses that mean "no such endpoint here". */
const MISSING = new Set([404, 405, 501]);

/**
 * @param kind The server, when known; both endpoints are tried otherwise.
 * @param request The conversation and the connection.
 * @returns The server's count, or `undefined` when it offers no way to count.
 * @throws {GptOssError} For failures other than a missing endpoint.
 */
export async function countOnServer(
  kind: ServerKind | undefined,
  request: ServerCountRequest,
): Promise<ServerCount | undefined> {
  const traits = traitsOf(kind);
  // The kept reasoning goes under the fields the server reads, as in a request.
  const counted = {
    ...request,
    messages: withReasoningFields(request.messages, traits.reasoningFields),
  };
  for (const server of traits.counting) {
    try {
      const count = server === "vllm"
        ? await countWithVllm(counted)
        : await countWithLlamaCpp(counted);
      if (count) return count;
    } catch (error) {
      if (!(error instanceof ApiError && MISSING.has(error.status))) {
        throw error;
      }
    }
  }
  return undefined;
}

function templateFields(request: ServerCountRequest): Record<string, unknown> {
  return {
    ...(request.tools?.length ? { tools: request.tools } : {}),
    ...(request.reasoningEffort
      ? { chat_template_kwargs: { reasoning_effort: request.reasoningEffort } }
      : {}),
  };
}

/**
 * vLLM's `/tokenize` of chat messages renders them with the chat template,
 * which its chat path does not use for gpt-oss: it is asked instead to
 * tokenize the prompt its chat path renders (openai-harmony's, built here).
 * openai-harmony encodes the parts of a header apart; where two text pieces
 * meet, a tokenizer of the whole text may join them, and the count is then
 * not the chat path's own.
 */
async function countWithVllm(
  request: ServerCountRequest,
): Promise<ServerCount | undefined> {
  const { head, messages, footer } = harmonyPathPieces(request.messages, {
    ...(request.tools ? { tools: request.tools } : {}),
    ...(request.reasoningEffort
      ? { reasoningEffort: request.reasoningEffort }
      : {}),
  });
  const pieces = [...head, ...messages.flat(), ...footer];
  const body = await callServer(request, "/tokenize", {
    ...(request.model ? { model: request.model } : {}),
    prompt: piecesText(pieces),
    add_special_tokens: false,
  });
  const answer = body as { count?: unknown; max_model_len?: unknown };
  // llama.cpp also has /tokenize, for text: its answer has no `count`.
  if (typeof answer?.count !== "number") return undefined;
  return {
    promptTokens: answer.count,
    server: "vllm",
    exact: !pieces.some((p, i) =>
      "text" in p && p.text && "text" in (pieces[i + 1] ?? {})
    ),
    ...(typeof answer.max_model_len === "number"
      ? { maxContextSize: answer.max_model_len }
      : {}),
  };
}

async function countWithLlamaCpp(
  request: ServerCountRequest,
): Promise<ServerCount | undefined> {
  const applied = await callServer(request, "/apply-template", {
    messages: request.messages,
    ...templateFields(request),
    ...(request.reasoningEffort
      ? { reasoning_effort: request.reasoningEffort }
      : {}),
  });
  const prompt = (applied as { prompt?: unknown })?.prompt;
  if (typeof prompt !== "string") return undefined;
  // Special tokens in the rendered prompt are tokens, as when it is served.
  const body = await callServer(request, "/tokenize", {
    content: prompt,
    add_special: false,
    parse_special: true,
  });
  const tokens = (body as { tokens?: unknown })?.tokens;
  if (!Array.isArray(tokens)) return undefined;
  return { promptTokens: tokens.length, server: "llamacpp", exact: true };
}
