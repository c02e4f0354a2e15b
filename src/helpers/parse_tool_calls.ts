/**
 * Reads the tool calls of an answer with their arguments parsed.
 *
 * @module
 */

import { isPlainObject } from "../checks.ts";
import { ConfigError, ToolCallError } from "../errors/mod.ts";
import type { AssistantMessage, ChatCompletion, ToolCall } from "../types.ts";

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
 * Parses the tool calls of a completion (its first choice) or of a message.
 *
 * @param source A completion or an assistant message.
 * @returns The calls, in order, with parsed arguments; empty when there are none.
 * @throws {ToolCallError} Naming the tool whose arguments are not a JSON object.
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
 */
export function parseToolCalls(
  source: ChatCompletion | AssistantMessage,
): ParsedToolCall[] {
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
    return parseCall(call as unknown as ToolCall);
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
