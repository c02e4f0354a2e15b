/**
 * One object of Ollama's native chat answer (`POST /api/chat`), streamed or
 * whole, as a {@link StreamDelta}: `message.thinking` is the reasoning,
 * `message.content` the answer, `message.tool_calls` whole calls (their
 * arguments an object, written here as JSON text); the last object
 * (`done: true`) has `done_reason` and the counts `prompt_eval_count` and
 * `eval_count`.
 *
 * Source: Ollama v0.33 api/types.go (`ChatResponse`, `Message`,
 * `ToolCall`, `Metrics`) and server/routes.go (`ChatHandler`, where tool
 * calls get ids `call_…` and a whole answer joins the streamed objects).
 *
 * @module
 */

import type { StreamDelta, ToolCallDelta, Usage } from "../../types.ts";

/** What a decoder keeps between the objects of one answer. */
export class OllamaAnswerState {
  /** Tool calls so far: each arrives whole and takes the next index. */
  calls = 0;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) &&
      value >= 0
    ? value
    : undefined;
}

/** Ollama's counts as usage; a count it left out is 0 (old versions did on a cache hit). */
export function usageOf(record: Record<string, unknown>): Usage | undefined {
  const prompt = count(record.prompt_eval_count);
  const completion = count(record.eval_count);
  if (prompt === undefined && completion === undefined) return undefined;
  return {
    prompt_tokens: prompt ?? 0,
    completion_tokens: completion ?? 0,
    total_tokens: (prompt ?? 0) + (completion ?? 0),
  };
}

function toolCallsOf(
  raw: unknown,
  state: OllamaAnswerState,
): ToolCallDelta[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return raw.map((call): ToolCallDelta => {
    const c = (call ?? {}) as Record<string, unknown>;
    const fn = (c.function ?? {}) as Record<string, unknown>;
    const args = fn.arguments;
    return {
      index: state.calls++,
      ...(typeof c.id === "string" && c.id ? { id: c.id } : {}),
      type: "function",
      function: {
        name: typeof fn.name === "string" ? fn.name : "",
        arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
      },
    };
  });
}

/**
 * @param record One parsed object of the answer.
 * @param state The answer's state so far.
 * @returns What it adds.
 */
export function deltaFromOllama(
  record: Record<string, unknown>,
  state: OllamaAnswerState,
): StreamDelta {
  const delta: StreamDelta = {};
  const message = record.message as Record<string, unknown> | null | undefined;
  if (message !== null && typeof message === "object") {
    const content = text(message.content);
    if (content !== undefined) delta.content = content;
    const reasoning = text(message.thinking);
    if (reasoning !== undefined) delta.reasoning = reasoning;
    const calls = toolCallsOf(message.tool_calls, state);
    if (calls) delta.toolCalls = calls;
  }
  if (record.done === true) {
    const reason = text(record.done_reason) ?? "stop";
    delta.finishReason = reason === "stop" && state.calls > 0
      ? "tool_calls"
      : reason;
    const usage = usageOf(record);
    if (usage) delta.usage = usage;
  }
  return delta;
}

/** The answer's identity: its model, and `created_at` as Unix seconds. */
export function identityOf(
  record: Record<string, unknown>,
): Record<string, unknown> {
  const created = typeof record.created_at === "string"
    ? Date.parse(record.created_at)
    : NaN;
  return {
    ...(typeof record.model === "string" ? { model: record.model } : {}),
    ...(Number.isFinite(created)
      ? { created: Math.floor(created / 1000) }
      : {}),
  };
}
