/**
 * The shapes that cross the wire: chat messages as OpenAI-compatible servers
 * take them, and completions as they return them. Field names stay in the
 * wire's snake_case so that a message can be sent back unchanged.
 *
 * @module
 */

/**
 * Who wrote a message. GPT-OSS servers render `system` (and `developer`) as
 * the harmony developer message, `tool` as a function result.
 *
 * @example Narrowing a role
 * ```ts
 * import type { Role } from "@gptoss/client";
 * const role: Role = "user";
 * ```
 */
export type Role = "system" | "developer" | "user" | "assistant" | "tool";

/**
 * One part of a multi-part message content.
 *
 * @example A text part
 * ```ts
 * import type { ContentPart } from "@gptoss/client";
 * const part: ContentPart = { type: "text", text: "Hello" };
 * ```
 */
export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: string } };

/**
 * A function call requested by the model, in OpenAI's shape; `arguments` is
 * the JSON text exactly as the model wrote it.
 *
 * @example A tool call
 * ```ts
 * import type { ToolCall } from "@gptoss/client";
 * const call: ToolCall = {
 *   id: "call_1",
 *   type: "function",
 *   function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
 * };
 * ```
 */
export interface ToolCall {
  /** The id that the matching `tool` message quotes as `tool_call_id`. */
  id: string;
  /** Always `"function"` for chat completions. */
  type: "function";
  /** The function's name and its arguments as JSON text. */
  function: { name: string; arguments: string };
}

/**
 * A chat message in OpenAI's shape.
 *
 * @example A short conversation
 * ```ts
 * import type { ChatMessage } from "@gptoss/client";
 * const messages: ChatMessage[] = [
 *   { role: "system", content: "Answer in one sentence." },
 *   { role: "user", content: "What is a harmony channel?" },
 * ];
 * ```
 */
export interface ChatMessage {
  /** Who wrote the message. */
  role: Role;
  /** The text, or parts; `null` only on an assistant message that calls tools. */
  content: string | ContentPart[] | null;
  /** An optional author name. */
  name?: string;
  /** The model's reasoning (GPT-OSS's analysis channel), on assistant messages. */
  reasoning?: string;
  /** The functions the assistant asked to call. */
  tool_calls?: ToolCall[];
  /** On a `tool` message: the id of the call it answers. */
  tool_call_id?: string;
}

/**
 * An assistant message as returned by the client: the final answer in
 * `content`, the reasoning in `reasoning`, whichever field the server used.
 *
 * @example Reading an answer
 * ```ts
 * import type { AssistantMessage } from "@gptoss/client";
 * function show(message: AssistantMessage): string {
 *   return `${message.reasoning ?? ""}\n${message.content ?? ""}`;
 * }
 * ```
 */
export interface AssistantMessage extends ChatMessage {
  /** Always `"assistant"`. */
  role: "assistant";
  /** The final answer; `null` when the model only called tools. */
  content: string | null;
}

/**
 * Token counts as the server reports them.
 *
 * @example Usage
 * ```ts
 * import type { Usage } from "@gptoss/client";
 * const usage: Usage = { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 };
 * ```
 */
export interface Usage {
  /** Tokens in the rendered prompt. */
  prompt_tokens: number;
  /** Tokens generated, reasoning included. */
  completion_tokens: number;
  /** The sum of both. */
  total_tokens: number;
  /**
   * Of the generated tokens, those of the reasoning, when the server counts
   * them (vLLM's and LM Studio's Responses API, LM Studio's chat; not Ollama,
   * which always says 0 and is left out).
   */
  completion_tokens_details?: { reasoning_tokens: number };
}

/**
 * Why generation stopped: `"stop"`, `"length"` (hit `max_tokens`),
 * `"tool_calls"`, or whatever else a server sends.
 *
 * @example Checking for a cut-off answer
 * ```ts
 * import type { FinishReason } from "@gptoss/client";
 * const cutOff = (reason: FinishReason | null) => reason === "length";
 * ```
 */
export type FinishReason =
  | "stop"
  | "length"
  | "tool_calls"
  | "content_filter"
  | (string & Record<never, never>);

/**
 * One choice of a completion.
 *
 * @example Reading the first choice
 * ```ts
 * import type { ChatChoice } from "@gptoss/client";
 * const answer = (choice: ChatChoice) => choice.message.content;
 * ```
 */
export interface ChatChoice {
  /** The choice's position. */
  index: number;
  /** The assistant's message. */
  message: AssistantMessage;
  /** Why generation stopped, or `null` when the server did not say. */
  finish_reason: FinishReason | null;
}

/**
 * What trimming a conversation to the context window did: what was kept,
 * dropped and shortened. `truncateMessages` returns it; a completion carries
 * it as `truncation` when the client trimmed the messages before sending.
 *
 * @example Telling the user what was left out
 * ```ts
 * import { type Truncation, truncateMessages } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const note = (t: Truncation) => `dropped ${t.dropped.length} old messages`;
 * const history = Array.from({ length: 30 }, (_, i) => ({ role: "user" as const, content: `Note ${i}: ${"word ".repeat(50)}` }));
 * const truncation = truncateMessages(history, { maxContextSize: 1000, maxTokens: 200 });
 * assert.equal(truncation.kept.length + truncation.dropped.length, 30);
 * assert.match(note(truncation), /^dropped \d+ old messages$/);
 * ```
 */
export interface Truncation {
  /** The messages sent, in their order (shortened ones replaced by their shortened copy). */
  kept: ChatMessage[];
  /** The messages that were not sent, oldest first. */
  dropped: ChatMessage[];
  /** The messages sent shortened (head and tail kept), with what was cut. */
  shortened: ShortenedMessage[];
  /** The prompt tokens of what was sent, as the tokenizer counts them. */
  promptTokens: number;
  /** The tokens the prompt could use: `maxContextSize - maxTokens`. */
  budget: number;
}

/**
 * A prompt the server cut without saying so: what the client sent, and what
 * the server reported it read (`usage.prompt_tokens`).
 *
 * @example Telling the user
 * ```ts
 * import type { ServerTruncation } from "@gptoss/client";
 * const say = (t: ServerTruncation) =>
 *   `the server read ${t.serverTokens} of the ${t.sentTokens} prompt tokens sent`;
 * ```
 */
export interface ServerTruncation {
  /** The prompt tokens sent, as the client counted them (exactly, or estimated). */
  sentTokens: number;
  /** The prompt tokens the server says it read. */
  serverTokens: number;
}

/**
 * A message that was shortened to fit the context window.
 *
 * @example Reporting a shortened message
 * ```ts
 * import type { ShortenedMessage } from "@gptoss/client";
 * const say = (s: ShortenedMessage) =>
 *   `message ${s.index}: ${s.tokensBefore} -> ${s.tokensAfter} tokens`;
 * ```
 */
export interface ShortenedMessage {
  /** Its index in the conversation that was passed in. */
  index: number;
  /** The message as it was. */
  original: ChatMessage;
  /** The shortened copy that was sent instead. */
  message: ChatMessage;
  /** Its tokens before, template included. */
  tokensBefore: number;
  /** Its tokens after. */
  tokensAfter: number;
  /** The characters left out. */
  removedCharacters: number;
}

/**
 * What the client measured of one request.
 *
 * @example Printing a speed line
 * ```ts
 * import type { CompletionStats } from "@gptoss/client";
 * const line = (s: CompletionStats) =>
 *   `${s.completionTokens} tokens, ${s.tokensPerSecond.toFixed(1)}/s, first after ${s.timeToFirstTokenMs ?? "?"} ms`;
 * ```
 */
export interface CompletionStats {
  /** Milliseconds from sending the request to the end of the answer. */
  totalMs: number;
  /** Milliseconds from sending the request to the first token (streams only). */
  timeToFirstTokenMs?: number;
  /** Tokens generated, reasoning included: the server's count (its usage, or llama.cpp's `timings.predicted_n`), or estimated. */
  completionTokens: number;
  /** `true` when the server reported no count (no usage, no timings) and the count is the estimator's. */
  estimated: boolean;
  /** Generation speed: tokens after the first one per second for a stream, over the whole request otherwise. */
  tokensPerSecond: number;
}

/**
 * A chat completion in OpenAI's shape, with these additions: `incomplete` on a
 * completion assembled from a stream that broke, `truncation` when the client
 * dropped old messages to fit the context window, llama.cpp's `timings`, and
 * the client's own `stats`.
 *
 * @example The answer and the reasoning
 * ```ts
 * import type { ChatCompletion } from "@gptoss/client";
 * function answerOf(completion: ChatCompletion): string {
 *   const { content, reasoning } = completion.choices[0].message;
 *   return reasoning ? `(${reasoning}) ${content ?? ""}` : content ?? "";
 * }
 * ```
 */
export interface ChatCompletion {
  /** The server's id for the completion. */
  id: string;
  /** Always `"chat.completion"`. */
  object: "chat.completion";
  /** Unix time in seconds. */
  created: number;
  /** The model that answered. */
  model: string;
  /** The choices; GPT-OSS servers return one. */
  choices: ChatChoice[];
  /** Token counts, when the server sent them. */
  usage?: Usage;
  /** `true` when the stream broke before its end: what arrived, nothing more. */
  incomplete?: boolean;
  /** Present when the client dropped old messages to fit the context window. */
  truncation?: Truncation;
  /**
   * Present when the server's own prompt count shows it used clearly fewer
   * tokens than the client sent: it cut the prompt without saying so, as
   * Ollama does with a prompt longer than its window.
   */
  serverTruncated?: ServerTruncation;
  /** llama.cpp's own measurements (`prompt_n`, `predicted_per_second`, …), when it sent them. */
  timings?: Record<string, number>;
  /** What the client measured. */
  stats?: CompletionStats;
  /**
   * With `api: "responses"`: the server's response object as it sent it
   * (for a stream, the one of its terminal event), for what the completion
   * does not carry (item ids, the response id to continue, server fields).
   */
  response?: Record<string, unknown>;
}

/**
 * A piece of a tool call as it arrives in a stream: the first piece of a call
 * carries its `id` and name, the later ones more of the `arguments` text.
 *
 * @example Collecting argument text
 * ```ts
 * import type { ToolCallDelta } from "@gptoss/client";
 * const text = (pieces: ToolCallDelta[]) =>
 *   pieces.map((p) => p.function?.arguments ?? "").join("");
 * ```
 */
export interface ToolCallDelta {
  /** Which call this piece belongs to. */
  index: number;
  /** The call's id, on its first piece. */
  id?: string;
  /** `"function"`, on its first piece. */
  type?: "function";
  /** A piece of the name and of the arguments text. */
  function?: { name?: string; arguments?: string };
}

/**
 * What one stream event added. Only the fields that the event carried are
 * set: `content` and `reasoning` are never empty strings.
 *
 * @example Printing a stream
 * ```ts
 * import type { StreamDelta } from "@gptoss/client";
 * const out = new TextEncoder();
 * async function write(delta: StreamDelta, to: WritableStreamDefaultWriter<Uint8Array>) {
 *   if (delta.content) await to.write(out.encode(delta.content)); // no line break per piece
 * }
 * ```
 */
export interface StreamDelta {
  /** More of the final answer. */
  content?: string;
  /** More of the model's reasoning. */
  reasoning?: string;
  /** Pieces of tool calls. */
  toolCalls?: ToolCallDelta[];
  /** Why generation stopped, on the last content event. */
  finishReason?: FinishReason;
  /** Token counts, on the usage event. */
  usage?: Usage;
  /**
   * Which choice the delta belongs to, when it is not the first: set only
   * when a request asks for several (`extraBody: { n: 2 }`) and the server
   * sends them. Each choice is assembled apart.
   */
  choice?: number;
}
