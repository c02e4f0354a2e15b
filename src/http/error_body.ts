/**
 * Reads a server's error answer, whichever shape its server uses, and turns
 * it into the matching typed error:
 *
 * - OpenAI and recent vLLM: `{"error":{"message","type","param","code"}}`
 * - older vLLM: `{"object":"error","message","type","param","code"}`
 * - Ollama: `{"error":"message"}`
 * - llama.cpp: `{"error":{"code","message","type","n_prompt_tokens","n_ctx"}}`
 * - anything else (an HTML page from a proxy, plain text): the text itself.
 *
 * A context-length rejection becomes a {@link ContextSizeError} with the
 * server's numbers where it gives them.
 *
 * @module
 */

import {
  ApiError,
  ContextSizeError,
  type GptOssErrorOptions,
} from "../errors/mod.ts";

/** How much of a body an error keeps. */
export const BODY_EXCERPT_CHARS = 4096;

/**
 * @param text A body.
 * @returns The body, cut to {@link BODY_EXCERPT_CHARS} with a marker.
 */
export function excerpt(text: string): string {
  return text.length <= BODY_EXCERPT_CHARS
    ? text
    : `${text.slice(0, BODY_EXCERPT_CHARS)}… (${
      text.length - BODY_EXCERPT_CHARS
    } more characters)`;
}

/** What an error body says, whatever its shape. */
export interface ServerError {
  message: string;
  type?: string;
  code?: string | number;
  /** llama.cpp's `n_prompt_tokens`. */
  promptTokens?: number;
  /** llama.cpp's `n_ctx`. */
  contextSize?: number;
}

/**
 * @param body A parsed JSON body or stream event.
 * @returns What it says when it is an error object in one of the known
 * shapes, `undefined` otherwise.
 */
export function readServerError(body: unknown): ServerError | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  const inner = record.error;
  if (typeof inner === "string") return { message: inner };
  if (inner !== null && typeof inner === "object") {
    return fields(inner as Record<string, unknown>);
  }
  if (record.object === "error") return fields(record);
  return undefined;
}

function fields(record: Record<string, unknown>): ServerError {
  const error: ServerError = {
    message: typeof record.message === "string" && record.message
      ? record.message
      : JSON.stringify(record),
  };
  if (typeof record.type === "string") error.type = record.type;
  if (typeof record.code === "string" || typeof record.code === "number") {
    error.code = record.code;
  }
  if (typeof record.n_prompt_tokens === "number") {
    error.promptTokens = record.n_prompt_tokens;
  }
  if (typeof record.n_ctx === "number") error.contextSize = record.n_ctx;
  return error;
}

const CONTEXT_MESSAGE =
  /context length|context size|context window|maximum context|too many tokens|prompt is too long|exceeds the available context|exceeds the max_model_len/i;

/**
 * @returns Whether a server error is a context-length rejection.
 */
function isContextError(error: ServerError): boolean {
  return error.type === "exceed_context_size_error" ||
    error.code === "context_length_exceeded" ||
    error.contextSize !== undefined ||
    CONTEXT_MESSAGE.test(error.message);
}

/**
 * The numbers in the messages of vLLM ("maximum context length is 8192
 * tokens. However, you requested 9000 tokens (7000 in the messages, 2000 in
 * the completion)"; since 2026 "Input length (9068) exceeds model's maximum
 * context length (8192)", capture vllm/11; on /v1/responses "The engine
 * prompt length 9068 exceeds the max_model_len 8192"), llama.cpp ("request (4476
 * tokens) exceeds the available context size (4096 tokens)") and LM Studio
 * ("… greater than the context length (n_keep: 13055>= n_ctx: 4096)"; in
 * the 0.3.13–0.3.15 reports "Trying to keep the first 10136 tokens …
 * context length of only 7866 tokens").
 */
function countsFromMessage(
  message: string,
): { promptTokens?: number; contextSize?: number; answerTokens?: number } {
  const size = /maximum context length is (\d+)/i.exec(message) ??
    /maximum context length \((\d+)\)/i.exec(message) ??
    /exceeds the max_model_len (\d+)/i.exec(message) ??
    /context size \((\d+) tokens?\)/i.exec(message) ??
    /n_ctx: (\d+)/.exec(message) ??
    /context length of only (\d+)/i.exec(message);
  const prompt = /request \((\d+) tokens?\)/i.exec(message) ??
    /input length \((\d+)\)/i.exec(message) ??
    /prompt length (\d+) exceeds/i.exec(message) ??
    /(\d+) (?:input|prompt) tokens/i.exec(message) ??
    /\((\d+) in the messages/i.exec(message) ??
    /n_keep: (\d+)/.exec(message) ??
    /keep the first (\d+) tokens/i.exec(message);
  const answer = /(\d+) in the completion/i.exec(message);
  return {
    ...(size ? { contextSize: Number(size[1]) } : {}),
    ...(prompt ? { promptTokens: Number(prompt[1]) } : {}),
    ...(answer ? { answerTokens: Number(answer[1]) } : {}),
  };
}

/** Where the error came from. */
export interface ErrorOrigin {
  status: number;
  statusText?: string;
  url?: string;
  requestId?: string;
  /** The wait the server asked for before a retry. */
  retryAfterMs?: number;
}

/**
 * Builds the typed error for an error answer.
 *
 * @param origin The status, URL and request id.
 * @param raw The body text (already redacted).
 * @param parsed The body parsed as JSON, when it was JSON.
 * @param options A partial completion, for an error sent inside a stream.
 * @returns A {@link ContextSizeError} for a context-length rejection, an
 * {@link ApiError} otherwise.
 */
export function errorFromBody(
  origin: ErrorOrigin,
  raw: string,
  parsed: unknown,
  options: GptOssErrorOptions = {},
): ApiError | ContextSizeError {
  const server = readServerError(parsed);
  if (server && isContextError(server)) {
    const counts = countsFromMessage(server.message);
    const error = new ContextSizeError({
      promptTokens: server.promptTokens ?? counts.promptTokens,
      maxContextSize: server.contextSize ?? counts.contextSize,
      maxTokens: counts.answerTokens,
      status: origin.status,
      serverMessage: server.message,
    });
    if (options.partial) error.partial = options.partial;
    return error;
  }
  const text = raw.trim();
  return new ApiError({
    status: origin.status,
    serverMessage: server?.message ??
      (text && !text.startsWith("<")
        ? text.slice(0, 300)
        : origin.statusText || "no message"),
    body: excerpt(raw),
    ...(server?.type !== undefined ? { type: server.type } : {}),
    ...(server?.code !== undefined ? { code: server.code } : {}),
    ...(origin.requestId ? { requestId: origin.requestId } : {}),
    ...(origin.url ? { url: origin.url } : {}),
    ...(origin.retryAfterMs !== undefined
      ? { retryAfterMs: origin.retryAfterMs }
      : {}),
  }, options);
}

/**
 * An error object where an answer was expected: in a 200 body, or as an
 * event of a stream. Servers do both (vLLM `{"error": …}` events, llama.cpp
 * after a failure mid-generation).
 *
 * @param parsed The parsed body or event.
 * @param raw Its text.
 * @param origin Where it came from.
 * @returns Its typed error, or `undefined` when it is not an error object.
 */
export function errorInBody(
  parsed: unknown,
  raw: string,
  origin: ErrorOrigin,
): ApiError | ContextSizeError | undefined {
  return readServerError(parsed)
    ? errorFromBody(origin, excerpt(raw), parsed)
    : undefined;
}
