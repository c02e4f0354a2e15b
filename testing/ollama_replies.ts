/**
 * Answers of Ollama's native chat (`POST /api/chat`) as Ollama v0.33 writes
 * them (server/routes.go): a stream of NDJSON objects, reasoning in
 * `message.thinking`, the answer in `message.content`, tool calls whole with
 * their arguments as an object, and a last object with `done: true`,
 * `done_reason` and the counts; or the same joined into one object.
 *
 * @module
 */

import { tokenPieces } from "./replies.ts";

/**
 * What an Ollama answer says.
 *
 * @example An answer with reasoning and a tool call
 * ```ts
 * import type { OllamaAnswerSpec } from "@gptoss/client/testing";
 * const spec: OllamaAnswerSpec = {
 *   reasoning: "I should look it up.",
 *   toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }],
 * };
 * ```
 */
export interface OllamaAnswerSpec {
  /** The answer (`message.content`). */
  content?: string;
  /** The reasoning (`message.thinking`). */
  reasoning?: string;
  /** Default `"gpt-oss:20b"`. */
  model?: string;
  /** Tool calls, each whole, its arguments an object. */
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
  /** Default `"stop"`. */
  doneReason?: string;
  /** `prompt_eval_count`; left out when `null`. Default 20. */
  promptTokens?: number | null;
  /** `eval_count`; made up from the text by default. */
  completionTokens?: number;
}

const CREATED_AT = "2026-12-01T10:00:00.000000000Z";

function finalFields(spec: OllamaAnswerSpec): Record<string, unknown> {
  const completion = spec.completionTokens ??
    Math.ceil(
      ((spec.content ?? "").length + (spec.reasoning ?? "").length) / 4,
    );
  return {
    done: true,
    done_reason: spec.doneReason ?? "stop",
    total_duration: 1_200_000_000,
    load_duration: 80_000_000,
    ...(spec.promptTokens === null
      ? {}
      : { prompt_eval_count: spec.promptTokens ?? 20 }),
    prompt_eval_duration: 90_000_000,
    eval_count: completion,
    eval_duration: 1_000_000_000,
  };
}

function calls(spec: OllamaAnswerSpec) {
  return spec.toolCalls?.map((call, index) => ({
    id: `call_${String(index).padStart(8, "0")}`,
    function: { index, name: call.name, arguments: call.arguments },
  }));
}

/**
 * A streamed answer: one NDJSON line per token of reasoning, then of the
 * answer, one per tool call, and the last object.
 *
 * @param spec What the answer says.
 * @returns The NDJSON text.
 *
 * @example Building a streamed native answer
 * ```ts
 * import { ollamaChatStream } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * const lines = ollamaChatStream({ reasoning: "Easy.", content: "4" }).trim().split("\n");
 * assert.equal(JSON.parse(lines[0]).message.thinking, "Easy.");
 * assert.equal(JSON.parse(lines.at(-1)!).done, true);
 * ```
 */
export function ollamaChatStream(spec: OllamaAnswerSpec = {}): string {
  const model = spec.model ?? "gpt-oss:20b";
  const line = (message: Record<string, unknown>, extra = {}) =>
    JSON.stringify({
      model,
      created_at: CREATED_AT,
      message: { role: "assistant", content: "", ...message },
      ...extra,
      ...("done" in extra ? {} : { done: false }),
    }) + "\n";
  let text = "";
  for (const piece of tokenPieces(spec.reasoning ?? "")) {
    text += line({ thinking: piece });
  }
  for (const piece of tokenPieces(spec.content ?? "")) {
    text += line({ content: piece });
  }
  for (const call of calls(spec) ?? []) text += line({ tool_calls: [call] });
  return text + line({}, finalFields(spec));
}

/**
 * A whole answer (`stream: false`).
 *
 * @param spec What the answer says.
 * @returns The body, ready for `JSON.stringify`.
 *
 * @example Building a whole native answer
 * ```ts
 * import { ollamaChatBody } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * assert.equal(ollamaChatBody({ content: "4" }).message.content, "4");
 * ```
 */
export function ollamaChatBody(
  spec: OllamaAnswerSpec = {},
): { message: Record<string, unknown> } & Record<string, unknown> {
  const toolCalls = calls(spec);
  return {
    model: spec.model ?? "gpt-oss:20b",
    created_at: CREATED_AT,
    message: {
      role: "assistant",
      content: spec.content ?? "",
      ...(spec.reasoning ? { thinking: spec.reasoning } : {}),
      ...(toolCalls ? { tool_calls: toolCalls } : {}),
    },
    ...finalFields(spec),
  };
}
