/**
 * Runs the model with the caller's functions until it answers: call the
 * model, run the functions it asks for (in order), send the results back,
 * and repeat, up to a round limit. A streaming variant yields the deltas,
 * the calls and their results as they happen.
 *
 * @module
 */

import type { GptOssClient } from "../client/client.ts";
import { ConfigError, GptOssError } from "../errors/mod.ts";
import type { RequestOptions } from "../options/request_options.ts";
import type {
  ChatCompletion,
  ChatMessage,
  StreamDelta,
  ToolCall,
} from "../types.ts";
import { type ParsedToolCall, parseToolCalls } from "./parse_tool_calls.ts";
import type { ToolDefinition } from "../wire/tools.ts";

/**
 * A function the model may call, with its JSON schema and its implementation.
 *
 * @example Defining a tool with its schema
 * ```ts
 * import type { ToolFunction } from "@gptoss/client";
 * const getWeather: ToolFunction = {
 *   description: "Current weather in a city",
 *   parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
 *   execute: ({ city }) => ({ city, celsius: 18 }),
 * };
 * ```
 */
export interface ToolFunction {
  /** What it does, for the model. */
  description?: string;
  /** A JSON schema of its arguments object. */
  parameters?: Record<string, unknown>;
  /** Runs it. The result is sent back as text (objects as JSON). */
  execute(
    args: Record<string, unknown>,
    context: { call: ParsedToolCall; signal?: AbortSignal },
  ): unknown;
}

/**
 * The functions of a tool loop, by name.
 *
 * @example Naming the tools a loop may call
 * ```ts
 * import type { ToolSet } from "@gptoss/client";
 * const tools: ToolSet = { now: { execute: () => new Date(0).toISOString() } };
 * ```
 */
export type ToolSet = Record<string, ToolFunction>;

/**
 * Options of a tool loop: any request option, plus the functions.
 *
 * @example Limiting a tool loop's rounds
 * ```ts
 * import type { ToolLoopOptions } from "@gptoss/client";
 * const options: ToolLoopOptions = { tools: { ping: { execute: () => "pong" } }, maxRounds: 3 };
 * ```
 */
export interface ToolLoopOptions extends Omit<RequestOptions, "tools"> {
  /** The functions the model may call. */
  tools: ToolSet;
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
 * import { GptOssClient, runToolLoop } from "@gptoss/client";
 * import { chatCompletionBody, startMockServer } from "@gptoss/client/testing";
 *
 * await using server = await startMockServer();
 * server.enqueue({ json: chatCompletionBody({ toolCalls: [{ id: "c1", name: "add", arguments: '{"a":2,"b":2}' }] }) });
 * server.enqueue({ json: chatCompletionBody({ content: "2 + 2 = 4" }) });
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
 * const result = await runToolLoop(client, [{ role: "user", content: "What is 2 + 2?" }], {
 *   tools: { add: { execute: ({ a, b }) => Number(a) + Number(b) } },
 * });
 * console.log(result.completion.choices[0].message.content, result.toolResults[0].content); // "2 + 2 = 4" "4"
 * ```
 */
export async function runToolLoop(
  client: GptOssClient,
  messages: ChatMessage[],
  options: ToolLoopOptions,
): Promise<ToolLoopResult> {
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
 * import { GptOssClient, streamToolLoop } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 *
 * await using server = await startMockServer();
 * const client = new GptOssClient({ baseUrl: server.url });
 * for await (const event of streamToolLoop(client, [{ role: "user", content: "Hi" }], { tools: {} })) {
 *   if (event.type === "delta" && event.delta.content) console.log(event.delta.content);
 * }
 * ```
 */
export async function* streamToolLoop(
  client: GptOssClient,
  messages: ChatMessage[],
  options: ToolLoopOptions,
): AsyncGenerator<ToolLoopEvent, void, undefined> {
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

function prepareLoop(messages: ChatMessage[], options: ToolLoopOptions) {
  const { tools, maxRounds = 8, throwOnToolError = false, ...requestOptions } =
    options;
  if (tools === null || typeof tools !== "object") {
    throw new ConfigError(
      "options.tools",
      tools,
      "an object of functions by name",
    );
  }
  if (!Number.isSafeInteger(maxRounds) || maxRounds < 1) {
    throw new ConfigError(
      "options.maxRounds",
      maxRounds,
      "a whole number of at least 1",
    );
  }
  const definitions: ToolDefinition[] = Object.entries(tools).map(
    ([name, fn]) => {
      if (typeof fn?.execute !== "function") {
        throw new ConfigError(
          `options.tools.${name}`,
          fn,
          "an object with an execute(args) function",
        );
      }
      return {
        type: "function",
        function: {
          name,
          ...(fn.description ? { description: fn.description } : {}),
          parameters: fn.parameters ?? { type: "object", properties: {} },
        },
      };
    },
  );
  const history = [...messages];
  const toolResults: ToolResult[] = [];
  const request: RequestOptions = {
    ...requestOptions,
    ...(definitions.length ? { tools: definitions } : {}),
  };

  /** Parses and runs one call; its failure becomes the result unless throwOnToolError. */
  const run = async (call: ToolCall): Promise<ToolResult> => {
    const shown: ToolResult["call"] = {
      id: call.id,
      name: call.function.name,
      raw: call.function.arguments,
    };
    try {
      const [parsed] = parseToolCalls({
        role: "assistant",
        content: null,
        tool_calls: [call],
      });
      shown.arguments = parsed.arguments;
      const fn = tools[parsed.name];
      if (!fn) {
        throw new GptOssError(
          `The model called ${
            JSON.stringify(parsed.name)
          }, which is not one of the tools (${
            Object.keys(tools).join(", ") || "none"
          }).`,
        );
      }
      const result = await fn.execute(parsed.arguments, {
        call: parsed,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return {
        call: shown,
        result,
        content: typeof result === "string"
          ? result
          : JSON.stringify(result ?? null),
      };
    } catch (error) {
      if (throwOnToolError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      return {
        call: shown,
        error: message,
        content: JSON.stringify({ error: message }),
      };
    }
  };

  return {
    history,
    request,
    maxRounds,
    /** Runs the calls of one answer; `done` when there were none. */
    async step(
      completion: ChatCompletion,
    ): Promise<{ done: boolean; results: ToolResult[] }> {
      const message = completion.choices[0].message;
      const calls = message.tool_calls ?? [];
      if (calls.length === 0 || completion.incomplete) {
        return { done: true, results: [] };
      }
      history.push(message);
      const results: ToolResult[] = [];
      // In order: a later call may depend on what an earlier one changed.
      for (const call of calls) {
        const result = await run(call);
        results.push(result);
        history.push({
          role: "tool",
          tool_call_id: call.id,
          name: call.function.name,
          content: result.content,
        });
      }
      toolResults.push(...results);
      return { done: false, results };
    },
    result(
      completion: ChatCompletion,
      rounds: number,
      finished: boolean,
    ): ToolLoopResult {
      if (finished) history.push(completion.choices[0].message);
      return { completion, messages: history, rounds, finished, toolResults };
    },
  };
}
