/**
 * A client for GPT-OSS models (gpt-oss-20b, gpt-oss-120b) served by vLLM,
 * Ollama, llama.cpp's llama-server or LM Studio through their
 * OpenAI-compatible API. Chat completions, streamed or not, with the model's
 * reasoning kept apart from its answer; a context window that is checked and
 * trimmed before each request; typed errors; logs that never show a secret.
 *
 * Web-standard APIs only (`fetch`, `ReadableStream`, `TextDecoder`,
 * `AbortSignal`): the same module runs in Deno, edge runtimes, Node, Bun and
 * browsers, with no dependency.
 *
 * @example Streaming an answer
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 *
 * await using server = await startMockServer(); // or a real server's URL
 * const client = new GptOssClient({ baseUrl: server.url });
 * const stream = client.streamResponse([
 *   { role: "system", content: "Answer briefly." },
 *   { role: "user", content: "Why is the sky blue?" },
 * ]);
 * for await (const delta of stream) {
 *   if (delta.content) console.log(delta.content);
 * }
 * ```
 *
 * @module
 */

export { GptOssClient } from "./src/client/client.ts";
export type { ClientSettings, LookupOptions } from "./src/client/client.ts";
export type { ClientDefaults } from "./src/options/client_config.ts";
export type { ServerInfo } from "./src/server/server_info.ts";
export type { CountTokensOptions, TokenCount } from "./src/client/count_tokens.ts";
export type { Timeouts, TimeoutSettings } from "./src/http/timeouts.ts";
export type { ServerKind } from "./src/wire/servers.ts";
export type { ReasoningEffort } from "./src/wire/reasoning_effort.ts";
export type { ResponseFormat } from "./src/wire/response_format.ts";
export type { ToolChoice, ToolDefinition } from "./src/wire/tools.ts";
export { parseToolCalls } from "./src/helpers/parse_tool_calls.ts";
export type { ParsedToolCall } from "./src/helpers/parse_tool_calls.ts";
export { runToolLoop, streamToolLoop } from "./src/helpers/tool_loop.ts";
export type {
  ToolFunction,
  ToolLoopEvent,
  ToolLoopOptions,
  ToolLoopResult,
  ToolResult,
  ToolSet,
} from "./src/helpers/tool_loop.ts";
export { generateObject, parseJsonAnswer } from "./src/helpers/structured_output.ts";
export type { ObjectOptions } from "./src/helpers/structured_output.ts";
export { ChatStream } from "./src/stream/chat_stream.ts";
export type { StreamBodyFormat, StreamBodyOptions } from "./src/stream/stream_body.ts";
export { DEFAULT_CONFIG } from "./src/options/config.ts";
export type { ContextOverflow, GptOssConfig } from "./src/options/config.ts";
export type { RequestOptions } from "./src/options/request_options.ts";
export type { ModelInfo } from "./src/server/models.ts";
export type {
  AssistantMessage,
  ChatChoice,
  ChatCompletion,
  ChatMessage,
  CompletionStats,
  ContentPart,
  FinishReason,
  Role,
  ShortenedMessage,
  StreamDelta,
  ToolCall,
  ToolCallDelta,
  TruncationInfo,
  Usage,
} from "./src/types.ts";

export { estimateTokens, estimatingTokenizer } from "./src/context/estimate.ts";
export {
  countMessageTokens,
  countRenderedTokens,
  messageTokenCounts,
} from "./src/context/count.ts";
export type { CountOptions, MessageTokenCounts } from "./src/context/count.ts";
export { renderHarmonyPrompt } from "./src/harmony/prompt.ts";
export type { HarmonyPromptOptions } from "./src/harmony/prompt.ts";
export { validateContext } from "./src/context/validate.ts";
export type { ContextCheck } from "./src/context/validate.ts";
export { truncateMessages } from "./src/context/truncate.ts";
export type {
  TruncateOptions,
  TruncationResult,
} from "./src/context/truncate.ts";
export type { ContextOptions } from "./src/context/window.ts";
export type { Tokenizer } from "./src/context/tokenizer.ts";

export {
  AbortError,
  ApiError,
  ConfigError,
  ConnectionError,
  ContextSizeError,
  GptOssError,
  InvalidMessageError,
  InvalidResponseError,
  StructuredOutputError,
  TimeoutError,
  ToolCallError,
} from "./src/errors/mod.ts";
export type {
  ApiErrorDetails,
  ContextSizeDetails,
  GptOssErrorOptions,
  TimeoutLimit,
} from "./src/errors/mod.ts";

export { createConsoleLogger, silentLogger } from "./src/logger.ts";
export type { LogData, Logger, LogLevel } from "./src/logger.ts";

export { SseParser, SseParserStream } from "./src/stream/sse.ts";
export type { SseEvent } from "./src/stream/sse.ts";
