/**
 * Asks the server to count a conversation's prompt tokens, where it can:
 * vLLM renders a chat request on its chat path at
 * `POST /v1/chat/completions/render`, where that is on, and tokenizes a
 * prompt at `POST /tokenize`; llama.cpp's `POST /apply-template` renders
 * the messages and its `POST /tokenize` counts the result. Ollama and LM
 * Studio have no such endpoint. A server without one answers 404 (or 405,
 * 501), and the caller falls back to counting locally.
 *
 * Sources: vLLM's TokenizeCompletionRequest and TokenizeResponse, and the
 * render router (vllm/entrypoints/serve/render/api_router.py in 0.22,
 * scale_out/render in 0.32); llama.cpp's tools/server/README.md
 * (`/apply-template`, `/tokenize` with `parse_special`).
 *
 * @module
 */

import { ApiError } from "../errors/mod.ts";
import {
  harmonyPathPieces,
  sameOnEveryVllm,
  VLLM_RENDERERS,
} from "../harmony/harmony_path.ts";
import type { Renderer } from "../harmony/prompt.ts";
import { SPECIAL_TOKEN_PATTERN } from "../harmony/special_tokens.ts";
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
  /** vLLM's rendering, when its release is known. */
  renderer?: Exclude<Renderer, "template">;
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
 * vLLM counts on its own chat path where it offers
 * `POST /v1/chat/completions/render` (on by default up to 0.2x, behind
 * `--enable-scale-out` later, a 403 otherwise): the token ids of the very
 * prompt it would run.
 */
async function renderOnVllm(
  request: ServerCountRequest,
): Promise<ServerCount | undefined> {
  let body: unknown;
  try {
    body = await callServer(request, "/v1/chat/completions/render", {
      ...(request.model ? { model: request.model } : {}),
      messages: request.messages,
      ...(request.tools?.length ? { tools: request.tools } : {}),
      ...(request.reasoningEffort
        ? { reasoning_effort: request.reasoningEffort }
        : {}),
    });
  } catch (error) {
    if (
      error instanceof ApiError &&
      (MISSING.has(error.status) || error.status === 403)
    ) {
      return undefined;
    }
    throw error;
  }
  const ids = (body as { token_ids?: unknown } | null)?.token_ids;
  return Array.isArray(ids)
    ? { promptTokens: ids.length, server: "vllm", exact: true }
    : undefined;
}

/**
 * Else vLLM's `/tokenize`, whose chat messages it renders with the chat
 * template (not its chat path for gpt-oss), is asked to tokenize the prompt
 * its chat path renders, built here for its release. openai-harmony encodes
 * each piece of a header and each text apart, so pieces that meet are kept
 * apart with a special token (which vLLM parses as one) counted out again.
 * The count is vLLM's own when its release is known (or every release
 * renders the request alike) and no text holds special-token text, which
 * openai-harmony encodes as text but `/tokenize` as a special token.
 */
async function tokenizeOnVllm(
  request: ServerCountRequest,
): Promise<ServerCount | undefined> {
  const options = {
    ...(request.tools ? { tools: request.tools } : {}),
    ...(request.reasoningEffort
      ? { reasoningEffort: request.reasoningEffort }
      : {}),
  };
  const { head, messages, footer } = harmonyPathPieces(request.messages, {
    ...options,
    renderer: request.renderer ?? VLLM_RENDERERS[0],
  });
  const pieces = [...head, ...messages.flat(), ...footer];
  let prompt = "";
  let separators = 0;
  let specialInText = false;
  pieces.forEach((piece, i) => {
    if ("special" in piece) {
      prompt += piece.special;
      return;
    }
    prompt += piece.text;
    specialInText ||= HAS_SPECIAL.test(piece.text);
    const next = pieces[i + 1];
    if (piece.text && next && "text" in next && next.text) {
      prompt += SEPARATOR;
      separators++;
    }
  });
  const body = await callServer(request, "/tokenize", {
    ...(request.model ? { model: request.model } : {}),
    prompt,
    add_special_tokens: false,
  });
  const answer = body as { count?: unknown; max_model_len?: unknown };
  // llama.cpp also has /tokenize, for text: its answer has no `count`.
  if (typeof answer?.count !== "number") return undefined;
  const known = request.renderer !== undefined ||
    sameOnEveryVllm(request.messages, options);
  return {
    promptTokens: answer.count - separators,
    server: "vllm",
    exact: known && !specialInText,
    ...(typeof answer.max_model_len === "number"
      ? { maxContextSize: answer.max_model_len }
      : {}),
  };
}

const HAS_SPECIAL = new RegExp(SPECIAL_TOKEN_PATTERN.source);

/** Keeps two texts apart in a prompt to `/tokenize`: a special token, one token. */
const SEPARATOR = "<|end|>";

async function countWithVllm(
  request: ServerCountRequest,
): Promise<ServerCount | undefined> {
  return await renderOnVllm(request) ?? await tokenizeOnVllm(request);
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
