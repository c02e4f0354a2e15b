/**
 * Reads the tool calls of an answer with their arguments parsed.
 *
 * @module
 */

import { isPlainObject } from "../checks.ts";
import { ConfigError, ToolCallError } from "../errors/mod.ts";
import type { AssistantMessage, ChatCompletion, ToolCall } from "../types.ts";
import { checkTools, type ToolDefinition } from "../wire/tools.ts";

/**
 * A tool call with its arguments parsed from JSON.
 *
 * @example Reading a parsed argument
 * ```ts
 * import type { ParsedToolCall } from "@gptoss/client";
 * const city = (call: ParsedToolCall) => (call.arguments as { city: string }).city;
 * ```
 */
export interface ParsedToolCall {
  /** The id the tool result must quote. */
  id: string;
  /** The tool's name. */
  name: string;
  /** The arguments, parsed: an object (`{}` when the model sent none). */
  arguments: Record<string, unknown>;
  /** The arguments as the model wrote them. */
  raw: string;
}

/**
 * The name a model meant: without the harmony namespace (`functions.`) and
 * without special-token text after it (`get_weather<|channel|>commentary`),
 * which servers sometimes leave in a call's name.
 */
function meantName(name: string): string {
  let meant = name;
  const special = meant.indexOf("<|");
  if (special !== -1) meant = meant.slice(0, special);
  meant = meant.trim();
  while (meant.startsWith("functions.")) meant = meant.slice(10);
  return meant;
}

/**
 * Parses the tool calls of a completion (its first choice) or of a message.
 * Given the request's tools, a call's name is read as the model meant it
 * (`functions.` and stray special-token text left out) and must be one of
 * them.
 *
 * @param source A completion or an assistant message.
 * @param tools The tools the request declared, to check the names against.
 * @returns The calls, in order, with parsed arguments; empty when there are none.
 * @throws {ToolCallError} Naming the tool whose arguments are not a JSON
 * object, or a tool the request did not declare (with `declaredTools`).
 * @throws {ConfigError} For a value that is neither a completion nor a message.
 *
 * @example Parsing the calls in an answer
 * ```ts
 * import { parseToolCalls } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const calls = parseToolCalls({
 *   role: "assistant",
 *   content: null,
 *   tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
 * });
 * assert.deepEqual(calls[0].arguments, { city: "Oslo" });
 * assert.equal(calls[0].raw, '{"city":"Oslo"}');
 * ```
 *
 * @example Checking the names against the request's tools
 * ```ts
 * import { parseToolCalls, ToolCallError } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const tools = [{ type: "function" as const, function: { name: "get_weather" } }];
 * const call = (name: string) => ({
 *   role: "assistant" as const,
 *   content: null,
 *   tool_calls: [{ id: "c1", type: "function" as const, function: { name, arguments: "{}" } }],
 * });
 * assert.equal(parseToolCalls(call("functions.get_weather<|channel|>commentary"), tools)[0].name, "get_weather");
 * assert.throws(
 *   () => parseToolCalls(call("get_time"), tools),
 *   (e) => e instanceof ToolCallError && e.declaredTools?.[0] === "get_weather",
 * );
 * ```
 */
export function parseToolCalls(
  source: ChatCompletion | AssistantMessage,
  tools?: readonly ToolDefinition[],
): ParsedToolCall[] {
  const declared = tools === undefined
    ? undefined
    : checkTools("tools", tools).map((t) => t.function.name);
  if (!isPlainObject(source)) {
    throw new ConfigError(
      "source",
      source,
      "a completion or an assistant message",
    );
  }
  const message = Array.isArray(source.choices)
    ? (source as ChatCompletion).choices[0]?.message
    : source as AssistantMessage;
  const calls: unknown = isPlainObject(message)
    ? message.tool_calls
    : undefined;
  if (calls === undefined) return [];
  if (!Array.isArray(calls)) {
    throw new ConfigError("tool_calls", calls, "an array of tool calls");
  }
  return calls.map((call: unknown, i: number) => {
    const fn = isPlainObject(call) ? call.function : undefined;
    if (
      !isPlainObject(fn) || typeof fn.name !== "string" ||
      typeof fn.arguments !== "string"
    ) {
      throw new ToolCallError(
        isPlainObject(fn) && typeof fn.name === "string" ? fn.name : `#${i}`,
        String(isPlainObject(fn) ? fn.arguments : fn),
        "the call is not { id, function: { name, arguments } } with text arguments",
      );
    }
    const parsed = parseCall(call as unknown as ToolCall);
    if (declared === undefined) return parsed;
    const name = declared.includes(parsed.name)
      ? parsed.name
      : meantName(parsed.name);
    if (!declared.includes(name)) {
      throw new ToolCallError(parsed.name, parsed.raw, "undeclared", {
        declaredTools: declared,
      });
    }
    return { ...parsed, name };
  });
}

function parseCall(call: ToolCall): ParsedToolCall {
  {
    const raw = call.function.arguments;
    let parsed: unknown;
    try {
      parsed = raw.trim() === "" ? {} : JSON.parse(raw);
    } catch (cause) {
      throw new ToolCallError(
        call.function.name,
        raw,
        (cause as Error).message,
        { cause },
      );
    }
    if (
      parsed === null || typeof parsed !== "object" || Array.isArray(parsed)
    ) {
      throw new ToolCallError(
        call.function.name,
        raw,
        "it is JSON but not an object",
      );
    }
    return {
      id: call.id,
      name: call.function.name,
      arguments: parsed as Record<string, unknown>,
      raw,
    };
  }
}
