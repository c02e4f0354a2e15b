/**
 * Runs the model with the caller's functions until it answers: call the
 * model, run the functions it asks for (in order), send the results back,
 * and repeat, up to a round limit. A streaming variant yields the deltas,
 * the calls and their results as they happen.
 *
 * @module
 */

import type { GptOssClient } from "../client/client.ts";
import type { RequestOptions } from "../options/options.ts";
import type { ChatCompletion, ChatMessage, StreamDelta } from "../types.ts";
import type { Tool } from "./define_tool.ts";
import { checkClient, prepareLoop } from "./tool_round.ts";

/**
 * Options of a tool loop: any request option, plus the functions.
 *
 * @example Limiting a tool loop's rounds
 * ```ts
 * import { defineTool, type ToolLoopOptions } from "@gptoss/client";
 * const ping = defineTool({ name: "ping", execute: () => "pong" });
 * const options: ToolLoopOptions = { tools: [ping], maxRounds: 3 };
 * ```
 */
export interface ToolLoopOptions extends Omit<RequestOptions, "tools"> {
  /** The functions the model may call, each with its `execute` (see `defineTool`). */
  tools: readonly Tool[];
  /** The most model calls. Default 8. */
  maxRounds?: number;
  /**
   * Throw when a function fails, is unknown, or gets arguments that do not
   * parse. By default the error is sent back to the model as the result, so
   * that it can correct itself.
   */
  throwOnToolError?: boolean;
}

/**
 * One function call and what it returned.
 *
 * @example Spotting a tool that failed
 * ```ts
 * import type { ToolResult } from "@gptoss/client";
 * const failed = (r: ToolResult) => r.error !== undefined;
 * ```
 */
export interface ToolResult {
  /** The call, with its arguments parsed when they parse. */
  call: {
    id: string;
    name: string;
    raw: string;
    arguments?: Record<string, unknown>;
  };
  /** What the function returned. */
  result?: unknown;
  /** Why it failed, when it did. */
  error?: string;
  /** The text sent back to the model. */
  content: string;
}

/**
 * How a tool loop ended.
 *
 * @example Reading a tool loop's final answer
 * ```ts
 * import type { ToolLoopResult } from "@gptoss/client";
 * const answer = (r: ToolLoopResult) => r.finished ? r.completion.choices[0].message.content : null;
 * ```
 */
export interface ToolLoopResult {
  /** The last completion: the final answer when `finished`. */
  completion: ChatCompletion;
  /** The whole conversation, the caller's messages first, ready to continue. */
  messages: ChatMessage[];
  /** How many times the model was called. */
  rounds: number;
  /** `true` when the model answered without asking for more calls. */
  finished: boolean;
  /** Every call made, in order. */
  toolResults: ToolResult[];
}

/**
 * What a streaming tool loop yields.
 *
 * @example Showing a tool loop's text as it streams
 * ```ts
 * import type { ToolLoopEvent } from "@gptoss/client";
 * const show = (e: ToolLoopEvent) => e.type === "delta" ? e.delta.content ?? "" : "";
 * ```
 */
export type ToolLoopEvent =
  | { type: "delta"; round: number; delta: StreamDelta }
  | { type: "tool-result"; round: number; result: ToolResult }
  | { type: "done"; result: ToolLoopResult };

/**
 * Runs the model with functions until it gives a final answer or the round
 * limit is reached.
 *
 * @param client The client.
 * @param messages The conversation so far (not changed).
 * @param options The functions, the round limit, and any request option.
 * @returns The final completion, the whole conversation and every call made.
 * @throws {GptOssError} A request's error; with `throwOnToolError`, a function's.
 *
 * @example Letting the model call a tool
 * ```ts
 * import { defineTool, GptOssClient, runToolLoop } from "@gptoss/client";
 * import { chatCompletionBody, startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = await startMockServer();
 * server.enqueue({ json: chatCompletionBody({ toolCalls: [{ id: "c1", name: "add", arguments: '{"a":2,"b":2}' }] }) });
 * server.enqueue({ json: chatCompletionBody({ content: "2 + 2 = 4" }) });
 * const add = defineTool({
 *   name: "add",
 *   parameters: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] },
 *   execute: ({ a, b }) => a + b,
 * });
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
 * const result = await runToolLoop(client, [{ role: "user", content: "What is 2 + 2?" }], { tools: [add] });
 * assert.equal(result.toolResults[0].content, "4");
 * assert.equal(result.completion.choices[0].message.content, "2 + 2 = 4");
 * assert.deepEqual(result.messages.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
 * ```
 */
export async function runToolLoop(
  client: GptOssClient,
  messages: ChatMessage[],
  options: ToolLoopOptions,
): Promise<ToolLoopResult> {
  checkClient(client, "generateResponse");
  const loop = prepareLoop(messages, options);
  for (let round = 1;; round++) {
    const completion = await client.generateResponse(
      loop.history,
      loop.request,
    );
    const next = await loop.step(completion);
    if (next.done || round >= loop.maxRounds) {
      return loop.result(completion, round, next.done);
    }
  }
}

/**
 * The streaming variant of {@link runToolLoop}: yields each delta as it
 * arrives, each function's result when it is known, and the result last.
 *
 * @param client The client.
 * @param messages The conversation so far (not changed).
 * @param options The functions, the round limit, and any request option.
 * @returns Events, ending with `{ type: "done" }`.
 *
 * @example Streaming a tool loop
 * ```ts
 * import { defineTool, GptOssClient, streamToolLoop } from "@gptoss/client";
 * import { chatCompletionStream, startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = await startMockServer();
 * server.enqueue({ sse: chatCompletionStream({ toolCalls: [{ id: "c1", name: "now", arguments: "{}" }] }) });
 * server.enqueue({ sse: chatCompletionStream({ content: "It is midnight." }) });
 * const now = defineTool({ name: "now", execute: () => "00:00" });
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
 * const seen: string[] = [];
 * for await (const event of streamToolLoop(client, [{ role: "user", content: "Time?" }], { tools: [now] })) {
 *   if (event.type === "delta" && event.delta.content) seen.push(event.delta.content);
 *   if (event.type === "tool-result") seen.push(`[${event.result.call.name} → ${event.result.content}]`);
 * }
 * assert.deepEqual(seen, ["[now → 00:00]", "It", " is", " midnight."]);
 * ```
 */
export async function* streamToolLoop(
  client: GptOssClient,
  messages: ChatMessage[],
  options: ToolLoopOptions,
): AsyncGenerator<ToolLoopEvent, void, undefined> {
  checkClient(client, "streamResponse");
  const loop = prepareLoop(messages, options);
  for (let round = 1;; round++) {
    const stream = client.streamResponse(loop.history, loop.request);
    for await (const delta of stream) yield { type: "delta", round, delta };
    const completion = await stream.completion();
    const next = await loop.step(completion);
    for (const result of next.results) {
      yield { type: "tool-result", round, result };
    }
    if (next.done || round >= loop.maxRounds) {
      yield { type: "done", result: loop.result(completion, round, next.done) };
      return;
    }
  }
}
