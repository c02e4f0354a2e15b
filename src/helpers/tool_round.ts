/**
 * One round of a tool loop, the part `runToolLoop` and `streamToolLoop`
 * share: the model's calls run in order, each failure turned into a result
 * the model can read (unless the caller wants it thrown), and the
 * conversation extended with the calls and their results.
 *
 * @module
 */

import {
  checkKnownKeys,
  checkPositiveInteger,
  type KeyRegistry,
} from "../checks.ts";
import { ConfigError, ToolCallError } from "../errors/mod.ts";
import { REQUEST_KEYS, type RequestOptions } from "../options/options.ts";
import type { ChatCompletion, ChatMessage, ToolCall } from "../types.ts";
import { checkTools, type ToolDefinition } from "../wire/tools.ts";
import type { Tool } from "./define_tool.ts";
import { parseToolCalls } from "./parse_tool_calls.ts";
import type {
  ToolLoopOptions,
  ToolLoopResult,
  ToolResult,
} from "./tool_loop.ts";

const LOOP_KEYS: KeyRegistry<ToolLoopOptions> = {
  ...REQUEST_KEYS,
  tools: true,
  maxRounds: true,
  throwOnToolError: true,
};

/** What both loops repeat. */
export interface Loop {
  /** The conversation so far: the caller's messages, then each round's. */
  history: ChatMessage[];
  /** The options of each request. */
  request: RequestOptions;
  maxRounds: number;
  /** Runs the calls of one answer; `done` when there were none. */
  step(
    completion: ChatCompletion,
  ): Promise<{ done: boolean; results: ToolResult[] }>;
  /** The loop's result after its last round. */
  result(
    completion: ChatCompletion,
    rounds: number,
    finished: boolean,
  ): ToolLoopResult;
}

/**
 * @param messages The caller's conversation (not changed).
 * @param options The tools, the round limit and any request option.
 * @returns The loop's state.
 * @throws {ConfigError} For an unknown option, a tool without `execute`, or a round limit below 1.
 */
export function prepareLoop(
  messages: ChatMessage[],
  options: ToolLoopOptions,
): Loop {
  checkKnownKeys("options", options, LOOP_KEYS);
  const { tools, maxRounds = 8, throwOnToolError = false, ...requestOptions } =
    options;
  checkPositiveInteger("options.maxRounds", maxRounds);
  const byName = toolsByName(tools);
  const definitions: ToolDefinition[] = [...byName.values()].map((tool) => ({
    type: "function",
    function: tool.function,
  }));
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
      // The name as the model meant it, and one of the tools: else an error
      // the model reads, naming the tools it has.
      const [parsed] = parseToolCalls({
        role: "assistant",
        content: null,
        tool_calls: [call],
      }, definitions);
      shown.name = parsed.name;
      shown.arguments = parsed.arguments;
      const tool = byName.get(parsed.name)!;
      const result = await tool.execute(parsed.arguments, {
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
      const unknownTool = error instanceof ToolCallError && error.declaredTools
        ? `There is no tool named ${
          JSON.stringify(error.toolName)
        }. The tools are: ${error.declaredTools.join(", ") || "none"}.`
        : undefined;
      return {
        call: shown,
        error: message,
        content: JSON.stringify({ error: unknownTool ?? message }),
      };
    }
  };

  return {
    history,
    request,
    maxRounds,
    async step(completion) {
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
          name: result.call.name,
          content: result.content,
        });
      }
      toolResults.push(...results);
      return { done: false, results };
    },
    result(completion, rounds, finished) {
      if (finished) history.push(completion.choices[0].message);
      return { completion, messages: history, rounds, finished, toolResults };
    },
  };
}

/** @throws {ConfigError} Unless `client` has the method a helper calls (a `GptOssClient`). */
export function checkClient(client: unknown, method: string): void {
  if (
    client === null || typeof client !== "object" ||
    typeof (client as Record<string, unknown>)[method] !== "function"
  ) {
    throw new ConfigError("client", client, "a GptOssClient");
  }
}

/** @throws {ConfigError} Unless every tool is a well-formed function tool with an `execute`. */
function toolsByName(tools: unknown): Map<string, Tool> {
  checkTools("options.tools", tools);
  const byName = new Map<string, Tool>();
  (tools as Tool[]).forEach((tool, i) => {
    if (typeof tool.execute !== "function") {
      throw new ConfigError(
        `options.tools[${i}].execute`,
        tool.execute,
        "a function that runs the tool (defineTool makes such tools)",
      );
    }
    byName.set(tool.function.name, tool);
  });
  return byName;
}
