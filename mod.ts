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
 * import assert from "node:assert/strict";
 *
 * await using server = await startMockServer(); // or a real server's URL
 * const client = new GptOssClient({ baseUrl: server.url });
 * const stream = client.streamResponse([
 *   { role: "system", content: "Answer briefly." },
 *   { role: "user", content: "Why is the sky blue?" },
 * ]);
 * let reasoning = "";
 * let answer = "";
 * for await (const delta of stream) {
 *   reasoning += delta.reasoning ?? "";
 *   answer += delta.content ?? "";
 * }
 * assert.ok(reasoning.length > 0 && answer.includes("Why is the sky blue?"));
 * ```
 *
 * @module
 */

// The shapes that cross the wire.
export type {
  AssistantMessage,
  ChatChoice,
  ChatCompletion,
  ChatMessage,
  CompletionStats,
  ContentPart,
  FinishReason,
  Role,
  ServerTruncation,
  ShortenedMessage,
  StreamDelta,
  ToolCall,
  ToolCallDelta,
  Truncation,
  Usage,
} from "./src/types.ts";
export { VERSION } from "./src/version.ts";

// Errors and logging.
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

// The request vocabulary.
export type { ServerKind } from "./src/wire/servers.ts";
export type { ApiName } from "./src/api/mod.ts";
export type { ReasoningEffort } from "./src/wire/reasoning_effort.ts";
export type { ResponseFormat } from "./src/wire/response_format.ts";
export type { ToolChoice, ToolDefinition } from "./src/wire/tools.ts";
export type { Timeouts } from "./src/http/timeouts.ts";

// The prompt and the context window.
export { renderHarmonyPrompt } from "./src/harmony/prompt.ts";
export type { HarmonyPromptOptions, Renderer } from "./src/harmony/prompt.ts";
export { estimatingTokenizer } from "./src/context/estimate.ts";
export type { Tokenizer } from "./src/context/tokenizer.ts";
export { countMessageTokens } from "./src/context/count.ts";
export { validateContext } from "./src/context/validate.ts";
export type { ContextCheck } from "./src/context/validate.ts";
export { truncateMessages } from "./src/context/truncate.ts";
export type { ContextOptions } from "./src/context/window.ts";
export type { ContextOverflow } from "./src/context/fit.ts";

// Streams.
export type { ChatStream } from "./src/stream/chat_stream.ts";
export type {
  StreamBodyFormat,
  StreamBodyOptions,
} from "./src/stream/stream_body.ts";

// What the server is.
export type { ModelInfo } from "./src/server/models.ts";
export type { ServerInfo } from "./src/server/server_info.ts";
export { explainServerTruncation } from "./src/server/truncation_advice.ts";

// Options.
export { DEFAULT_CONFIG } from "./src/options/options.ts";
export type {
  ContextPolicyOptions,
  CountTokensOptions,
  GptOssConfig,
  LookupOptions,
  ModelOptions,
  RequestOptions,
  TransportOptions,
} from "./src/options/options.ts";

// The client.
export { GptOssClient } from "./src/client/client.ts";
export type { ClientSettings } from "./src/client/client_settings.ts";
export type { TokenCount } from "./src/client/count_tokens.ts";

// Built on the client.
export { defineTool } from "./src/helpers/define_tool.ts";
export type { Tool, ToolContext, ToolSpec } from "./src/helpers/define_tool.ts";
export type { JsonSchema, SchemaValue } from "./src/helpers/json_schema.ts";
export { runToolLoop, streamToolLoop } from "./src/helpers/tool_loop.ts";
export type {
  ToolLoopEvent,
  ToolLoopOptions,
  ToolLoopResult,
  ToolResult,
} from "./src/helpers/tool_loop.ts";
export { parseToolCalls } from "./src/helpers/parse_tool_calls.ts";
export type { ParsedToolCall } from "./src/helpers/parse_tool_calls.ts";
export { generateObject } from "./src/helpers/structured_output.ts";
export type { ObjectOptions } from "./src/helpers/structured_output.ts";
