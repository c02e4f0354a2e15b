/**
 * Builders for the bodies a GPT-OSS server sends: a non-streamed chat
 * completion and a streamed one, in the shape vLLM, Ollama, llama-server and
 * LM Studio use, with the reasoning in the field of the server's choice.
 *
 * @module
 */

/**
 * The field a server puts the reasoning in: `reasoning` (vLLM since late
 * 2025, Ollama, LM Studio) or `reasoning_content` (llama.cpp, older vLLM).
 *
 * @example Imitating llama.cpp's reasoning field
 * ```ts
 * import type { ReasoningField } from "@gptoss/client/testing";
 * const field: ReasoningField = "reasoning_content";
 * ```
 */
export type ReasoningField = "reasoning" | "reasoning_content";

/**
 * What a scripted answer says.
 *
 * @example Describing an answer
 * ```ts
 * import type { AnswerSpec } from "@gptoss/client/testing";
 * const answer: AnswerSpec = { reasoning: "Easy.", content: "4" };
 * ```
 */
export interface AnswerSpec {
  /** The final answer. */
  content?: string;
  /** The reasoning (analysis channel). */
  reasoning?: string;
  /** The field the reasoning goes in; `"reasoning"` by default. */
  reasoningField?: ReasoningField;
  /** The model id in the answer. Default `"openai/gpt-oss-20b"`. */
  model?: string;
  /** Default `"stop"`. */
  finishReason?: string;
  /** Token counts; made up from the text lengths by default. */
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
  };
  /** Tool calls, each with its arguments as JSON text. */
  toolCalls?: { id: string; name: string; arguments: string }[];
}

const CREATED = 1_764_000_000;

function usageFor(spec: AnswerSpec) {
  if (spec.usage) return spec.usage;
  const completion = Math.ceil(
    ((spec.content ?? "").length + (spec.reasoning ?? "").length) / 4,
  );
  return {
    prompt_tokens: 20,
    completion_tokens: completion,
    total_tokens: 20 + completion,
  };
}

/**
 * A non-streamed `chat.completion` body.
 *
 * @param spec What the answer says.
 * @returns The body, ready for `JSON.stringify`.
 *
 * @example Building a non-streamed reply
 * ```ts
 * import { chatCompletionBody } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * const body = chatCompletionBody({ reasoning: "Add them.", content: "4" });
 * assert.deepEqual(body.choices[0].message, { role: "assistant", content: "4", reasoning: "Add them." });
 * ```
 */
export function chatCompletionBody(spec: AnswerSpec = {}): {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: number;
    message: Record<string, unknown>;
    finish_reason: string;
  }[];
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
  };
} {
  const message: Record<string, unknown> = {
    role: "assistant",
    content: spec.content ?? (spec.toolCalls ? null : ""),
  };
  if (spec.reasoning !== undefined) {
    message[spec.reasoningField ?? "reasoning"] = spec.reasoning;
  }
  if (spec.toolCalls) {
    message.tool_calls = spec.toolCalls.map((c) => ({
      id: c.id,
      type: "function",
      function: { name: c.name, arguments: c.arguments },
    }));
  }
  return {
    id: "chatcmpl-mock",
    object: "chat.completion",
    created: CREATED,
    model: spec.model ?? "openai/gpt-oss-20b",
    choices: [{
      index: 0,
      message,
      finish_reason: spec.finishReason ??
        (spec.toolCalls ? "tool_calls" : "stop"),
    }],
    usage: usageFor(spec),
  };
}

/**
 * One SSE event carrying `data`.
 *
 * @param data The event's data: a JSON value (serialised) or raw text.
 * @returns `data: …\n\n`.
 *
 * @example Framing one event
 * ```ts
 * import { sseEvent } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * assert.equal(sseEvent("[DONE]"), "data: [DONE]\n\n");
 * assert.equal(sseEvent({ a: 1 }), 'data: {"a":1}\n\n');
 * ```
 */
export function sseEvent(data: unknown): string {
  return `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
}

/**
 * Splits text the way a server streams tokens: a word with its leading space.
 *
 * @param text The text.
 * @returns Its pieces, which join back to the text.
 *
 * @example Splitting text like tokens
 * ```ts
 * import { tokenPieces } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * assert.deepEqual(tokenPieces("Hello big world"), ["Hello", " big", " world"]);
 * ```
 */
export function tokenPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/**
 * A streamed chat completion as vLLM sends it: a role chunk, reasoning
 * deltas, content deltas, a finish chunk, a usage chunk (`choices: []`), and
 * `data: [DONE]`.
 *
 * @param spec What the answer says.
 * @returns The whole event stream as text.
 *
 * @example Building a streamed reply
 * ```ts
 * import { chatCompletionStream } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * const text = chatCompletionStream({ reasoning: "Think.", content: "Done." });
 * assert.ok(text.startsWith("data: {") && text.endsWith("data: [DONE]\n\n"));
 * ```
 */
export function chatCompletionStream(spec: AnswerSpec = {}): string {
  const base = {
    id: "chatcmpl-mock",
    object: "chat.completion.chunk",
    created: CREATED,
    model: spec.model ?? "openai/gpt-oss-20b",
  };
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null = null,
  ) =>
    sseEvent({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
  const field = spec.reasoningField ?? "reasoning";
  let text = chunk({ role: "assistant", content: "" });
  for (const piece of tokenPieces(spec.reasoning ?? "")) {
    text += chunk({ [field]: piece });
  }
  for (const piece of tokenPieces(spec.content ?? "")) {
    text += chunk({ content: piece });
  }
  spec.toolCalls?.forEach((call, index) => {
    text += chunk({
      tool_calls: [{
        index,
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: "" },
      }],
    });
    for (const piece of call.arguments.match(/.{1,8}/gs) ?? []) {
      text += chunk({
        tool_calls: [{ index, function: { arguments: piece } }],
      });
    }
  });
  text += chunk(
    {},
    spec.finishReason ?? (spec.toolCalls ? "tool_calls" : "stop"),
  );
  text += sseEvent({ ...base, choices: [], usage: usageFor(spec) });
  return text + sseEvent("[DONE]");
}
