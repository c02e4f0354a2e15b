/**
 * Turns one parsed `chat.completion.chunk` into a {@link StreamDelta}: the
 * answer, the reasoning from whichever field the server used, tool-call
 * pieces, the finish reason and usage.
 *
 * @module
 */

import { NO_INDEX } from "../../stream/accumulator.ts";
import { readReasoning } from "./reasoning_field.ts";
import type { StreamDelta, ToolCallDelta, Usage } from "../../types.ts";

/**
 * @param chunk A parsed stream event.
 * @returns Its delta (possibly empty), or `undefined` when it is not shaped
 * like a chunk at all.
 */
export function deltaFromChunk(chunk: unknown): StreamDelta | undefined {
  if (chunk === null || typeof chunk !== "object") return undefined;
  const record = chunk as Record<string, unknown>;
  const choices = record.choices;
  const usage = readUsage(record.usage);
  if (!Array.isArray(choices)) {
    // A usage-only event without choices is still a chunk.
    return usage ? { usage } : undefined;
  }
  const delta = deltaFromChoice(choices[0]);
  if (usage) delta.usage = usage;
  return delta;
}

/**
 * @param choice One element of a chunk's `choices`.
 * @returns What it adds; `choice` is set when its index is not 0.
 */
export function deltaFromChoice(choice: unknown): StreamDelta {
  const delta: StreamDelta = {};
  if (choice === null || typeof choice !== "object") return delta;
  const c = choice as Record<string, unknown>;
  if (typeof c.index === "number" && c.index !== 0) delta.choice = c.index;
  const body = (c.delta ?? c.message) as Record<string, unknown> | undefined;
  if (body !== null && typeof body === "object") {
    const content = body.content;
    if (typeof content === "string" && content !== "") {
      delta.content = content;
    }
    const reasoning = readReasoning(body);
    if (reasoning !== undefined) delta.reasoning = reasoning;
    const calls = body.tool_calls;
    if (Array.isArray(calls) && calls.length > 0) {
      delta.toolCalls = calls.map(toolCallDelta);
    }
  }
  if (typeof c.finish_reason === "string" && c.finish_reason !== "") {
    delta.finishReason = c.finish_reason;
  }
  return delta;
}

/** A tool-call piece; without an index from the server, the accumulator places it. */
function toolCallDelta(raw: unknown): ToolCallDelta {
  const call = (raw ?? {}) as Record<string, unknown>;
  const piece: ToolCallDelta = {
    index: typeof call.index === "number" && call.index >= 0
      ? call.index
      : NO_INDEX,
  };
  if (typeof call.id === "string" && call.id !== "") piece.id = call.id;
  if (call.type === "function") piece.type = "function";
  const fn = call.function as Record<string, unknown> | undefined;
  if (fn !== null && typeof fn === "object") {
    const f: { name?: string; arguments?: string } = {};
    if (typeof fn.name === "string" && fn.name !== "") f.name = fn.name;
    if (typeof fn.arguments === "string") f.arguments = fn.arguments;
    // Some servers send arguments as an object instead of JSON text.
    else if (fn.arguments !== undefined && fn.arguments !== null) {
      f.arguments = JSON.stringify(fn.arguments);
    }
    piece.function = f;
  }
  return piece;
}

/**
 * @param raw A `usage` field from the wire.
 * @returns The usage when it has the three counts as numbers.
 */
export function readUsage(raw: unknown): Usage | undefined {
  if (raw === null || typeof raw !== "object") return undefined;
  const u = raw as Record<string, unknown>;
  if (
    typeof u.prompt_tokens !== "number" ||
    typeof u.completion_tokens !== "number"
  ) {
    return undefined;
  }
  const usage: Usage = {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: typeof u.total_tokens === "number"
      ? u.total_tokens
      : u.prompt_tokens + u.completion_tokens,
  };
  const details = u.completion_tokens_details as
    | { reasoning_tokens?: unknown }
    | null
    | undefined;
  const reasoning = details?.reasoning_tokens;
  if (typeof reasoning === "number") {
    usage.completion_tokens_details = { reasoning_tokens: reasoning };
  }
  return usage;
}

/** @returns Whether a delta carries nothing for the caller. */
export function isEmptyDelta(delta: StreamDelta): boolean {
  return delta.content === undefined && delta.reasoning === undefined &&
    delta.toolCalls === undefined && delta.finishReason === undefined &&
    delta.usage === undefined;
}
