/**
 * What a Responses API response object says, read the same way for a whole
 * answer and for a stream's terminal event: the finish reason from its
 * `status` and `incomplete_details` (vLLM reports even a cut or cancelled
 * response in a `response.completed` event, so the status decides, not the
 * event's name), the usage under chat completions' names, and its output
 * items as one assistant message.
 *
 * @module
 */

import { errorFromBody, type ErrorOrigin } from "../../http/error_body.ts";
import type { ApiError, ContextSizeError } from "../../errors/mod.ts";
import type {
  AssistantMessage,
  FinishReason,
  ToolCall,
  Usage,
} from "../../types.ts";

import { isPlainObject } from "../../checks.ts";

type Json = Record<string, unknown>;

/** The statuses that end a response. */
const FINAL = new Set(["completed", "incomplete", "cancelled", "failed"]);

/** @returns Whether a response's status is final. */
export function isFinalStatus(status: unknown): boolean {
  return typeof status === "string" && FINAL.has(status);
}

/**
 * @param response The response object.
 * @param calledTools Whether its output has function calls.
 * @returns The finish reason: `"stop"`, `"tool_calls"`, `"length"` (the
 * `max_output_tokens` reached), `"content_filter"`, `"cancelled"`, or
 * `null` for a response that is not over.
 */
export function finishReasonOf(
  response: Json,
  calledTools: boolean,
): FinishReason | null {
  switch (response.status) {
    case "completed":
      return calledTools ? "tool_calls" : "stop";
    case "incomplete": {
      const details = response.incomplete_details;
      const reason = isPlainObject(details) ? details.reason : undefined;
      if (reason === "content_filter") return "content_filter";
      return typeof reason === "string" && reason !== "max_output_tokens"
        ? reason
        : "length";
    }
    case "cancelled":
      return "cancelled";
    default:
      return null;
  }
}

/**
 * @param raw The response's `usage`.
 * @param reasoned Whether the answer has reasoning text (a reasoning count
 * of 0 beside it is Ollama's constant, not a count).
 * @returns The usage under chat completions' names.
 */
export function usageOf(raw: unknown, reasoned: boolean): Usage | undefined {
  if (!isPlainObject(raw)) return undefined;
  const input = raw.input_tokens;
  const output = raw.output_tokens;
  if (typeof input !== "number" || typeof output !== "number") {
    return undefined;
  }
  const usage: Usage = {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: typeof raw.total_tokens === "number"
      ? raw.total_tokens
      : input + output,
  };
  const details = raw.output_tokens_details;
  const reasoning = isPlainObject(details)
    ? details.reasoning_tokens
    : undefined;
  if (typeof reasoning === "number" && (reasoning > 0 || !reasoned)) {
    usage.completion_tokens_details = { reasoning_tokens: reasoning };
  }
  return usage;
}

/**
 * @param response A response whose status is `"failed"`.
 * @returns Its error, typed (a context-length failure is a `ContextSizeError`).
 */
export function failureOf(
  response: Json,
  origin: ErrorOrigin,
  raw: string,
): ApiError | ContextSizeError {
  const error = response.error;
  return errorFromBody(origin, raw, {
    error: isPlainObject(error) ? error : {
      message: "the server reported the response as failed, without a reason",
    },
  });
}

/**
 * The text of a reasoning item: its `reasoning_text` parts (vLLM, LM
 * Studio), else its summary (Ollama).
 */
export function reasoningTextOf(item: Json): string {
  const parts = Array.isArray(item.content) ? item.content : [];
  const text = parts.filter(isPlainObject).map((p) =>
    typeof p.text === "string" ? p.text : ""
  ).join("");
  if (text !== "") return text;
  const summary = Array.isArray(item.summary) ? item.summary : [];
  return summary.filter(isPlainObject).map((p) =>
    typeof p.text === "string" ? p.text : ""
  ).join("\n\n");
}

/** The text of a message item: its `output_text` parts (a refusal as text too). */
export function messageTextOf(item: Json): string {
  const parts = Array.isArray(item.content) ? item.content : [];
  return parts.filter(isPlainObject).map((p) =>
    p.type === "refusal"
      ? typeof p.refusal === "string" ? p.refusal : ""
      : typeof p.text === "string"
      ? p.text
      : ""
  ).join("");
}

/** A function call item as a tool call: its `call_id` is what a result quotes. */
export function toolCallOf(item: Json, index: number): ToolCall {
  const args = item.arguments;
  return {
    id: typeof item.call_id === "string" && item.call_id !== ""
      ? item.call_id
      : typeof item.id === "string"
      ? item.id
      : `call_${index}`,
    type: "function",
    function: {
      name: typeof item.name === "string" ? item.name : "",
      arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
    },
  };
}

/**
 * @param output The response's `output` items.
 * @returns One assistant message: reasoning, answer and calls, in order.
 */
export function messageOf(output: unknown[]): AssistantMessage {
  let reasoning = "";
  let content = "";
  const calls: ToolCall[] = [];
  for (const item of output) {
    if (!isPlainObject(item)) continue;
    if (item.type === "reasoning") reasoning += reasoningTextOf(item);
    else if (item.type === "message") content += messageTextOf(item);
    else if (item.type === "function_call") {
      calls.push(toolCallOf(item, calls.length));
    }
  }
  const message: AssistantMessage = {
    role: "assistant",
    content: content === "" && calls.length > 0 ? null : content,
  };
  if (reasoning !== "") message.reasoning = reasoning;
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}
