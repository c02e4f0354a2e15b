/**
 * Answers of the Responses API (`/v1/responses`) as each server sends them,
 * whole and streamed, for the mock server and for tests. The streams follow
 * each server's events: vLLM's (captures vllm/20 and vllm/22: its own
 * `response.reasoning_part.added`, `id: null` on a call's last item),
 * LM Studio's (capture lmstudio/32: a `reasoning_text` content part) and
 * Ollama's (from its source, openai/responses.go `ResponsesStreamConverter`:
 * `response.reasoning_summary_text.delta`, the reasoning copied into
 * `encrypted_content`, a call's arguments in one piece, a reasoning count
 * of 0). None ends with `data: [DONE]`.
 *
 * @module
 */

import { tokenPieces } from "./replies.ts";

/**
 * Whose events a streamed answer uses.
 *
 * @example Ollama's events
 * ```ts
 * import { type ResponsesDialect, responsesStream } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * const dialect: ResponsesDialect = "ollama";
 * assert.ok(responsesStream({}, dialect).includes("reasoning_summary_text.delta"));
 * ```
 */
export type ResponsesDialect = "vllm" | "lmstudio" | "ollama";

/**
 * What a Responses API answer says.
 *
 * @example A tool call after some reasoning
 * ```ts
 * import type { ResponsesAnswerSpec } from "@gptoss/client/testing";
 * const spec: ResponsesAnswerSpec = {
 *   reasoning: "I call the tool.",
 *   toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
 * };
 * ```
 */
export interface ResponsesAnswerSpec {
  /** The reasoning. Default: a sentence. */
  reasoning?: string;
  /** The answer. Default: a sentence; none when there are tool calls. */
  content?: string;
  /** Function calls. */
  toolCalls?: { id: string; name: string; arguments: string }[];
  /** `"completed"` (default), `"incomplete"` or `"cancelled"`. */
  status?: "completed" | "incomplete" | "cancelled";
  /** Token counts. Default: 20 in, 30 out, 10 of them reasoning. */
  usage?: { input: number; output: number; reasoning: number };
  /** How the text is cut into deltas. Default: {@link tokenPieces}. */
  pieces?: (text: string) => string[];
  /** The response's id. Default `"resp_mock"`. */
  id?: string;
}

const DEFAULT_REASONING = "The user asks something simple. I answer it.";
const DEFAULT_CONTENT = "Here is the answer.";

interface Parts {
  reasoning: string;
  content: string;
  calls: { id: string; name: string; arguments: string }[];
}

function partsOf(spec: ResponsesAnswerSpec): Parts {
  const calls = spec.toolCalls ?? [];
  return {
    reasoning: spec.reasoning ?? DEFAULT_REASONING,
    content: spec.content ?? (calls.length ? "" : DEFAULT_CONTENT),
    calls,
  };
}

function outputItems(parts: Parts, dialect: ResponsesDialect): unknown[] {
  const items: unknown[] = [];
  if (parts.reasoning) {
    items.push(
      dialect === "ollama"
        ? {
          id: "rs_1",
          type: "reasoning",
          summary: [{ type: "summary_text", text: parts.reasoning }],
          encrypted_content: parts.reasoning,
        }
        : {
          id: "rs_1",
          type: "reasoning",
          summary: [],
          content: [{ type: "reasoning_text", text: parts.reasoning }],
          status: dialect === "vllm" ? null : "completed",
        },
    );
  }
  parts.calls.forEach((call, i) =>
    items.push({
      id: `fc_${i}`,
      type: "function_call",
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
      status: "completed",
    })
  );
  if (parts.content) {
    items.push({
      id: "msg_1",
      type: "message",
      role: "assistant",
      status: "completed",
      content: [{
        type: "output_text",
        text: parts.content,
        annotations: [],
        logprobs: [],
      }],
    });
  }
  return items;
}

function responseObject(
  spec: ResponsesAnswerSpec,
  dialect: ResponsesDialect,
  output: unknown[],
  final: boolean,
): Record<string, unknown> {
  const usage = spec.usage ?? { input: 20, output: 30, reasoning: 10 };
  const status = final ? spec.status ?? "completed" : "in_progress";
  return {
    id: spec.id ?? "resp_mock",
    object: "response",
    created_at: 1_796_000_000,
    status,
    incomplete_details: status === "incomplete"
      ? { reason: "max_output_tokens" }
      : null,
    model: "openai/gpt-oss-20b",
    output,
    error: null,
    usage: final
      ? {
        input_tokens: usage.input,
        output_tokens: usage.output,
        total_tokens: usage.input + usage.output,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: {
          reasoning_tokens: dialect === "ollama" ? 0 : usage.reasoning,
        },
      }
      : null,
    store: false,
  };
}

/**
 * A whole Responses API answer (`stream: false`).
 *
 * @example A whole answer
 * ```ts
 * import { responsesBody } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * const body = responsesBody({ content: "Hi" });
 * assert.equal(body.status, "completed");
 * ```
 */
export function responsesBody(
  spec: ResponsesAnswerSpec = {},
  dialect: ResponsesDialect = "vllm",
): Record<string, unknown> {
  return responseObject(
    spec,
    dialect,
    outputItems(partsOf(spec), dialect),
    true,
  );
}

/**
 * A streamed Responses API answer, in the events of one server.
 *
 * @example vLLM's events
 * ```ts
 * import { responsesStream } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * const text = responsesStream({ content: "Hi" }, "vllm");
 * assert.ok(text.includes("event: response.reasoning_part.added"));
 * assert.ok(!text.includes("[DONE]"));
 * ```
 */
export function responsesStream(
  spec: ResponsesAnswerSpec = {},
  dialect: ResponsesDialect = "vllm",
): string {
  const parts = partsOf(spec);
  const split = spec.pieces ?? tokenPieces;
  const events: string[] = [];
  let sequence = 0;
  const emit = (type: string, fields: Record<string, unknown>) => {
    const data = { type, ...fields, sequence_number: sequence++ };
    events.push(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  emit("response.created", {
    response: responseObject(spec, dialect, [], false),
  });
  emit("response.in_progress", {
    response: responseObject(spec, dialect, [], false),
  });
  const items = outputItems(parts, dialect) as Record<string, unknown>[];
  let output = 0;
  if (parts.reasoning) {
    const item = items[output];
    const at = { item_id: item.id, output_index: output };
    emit("response.output_item.added", {
      output_index: output,
      item: dialect === "ollama"
        ? { id: item.id, type: "reasoning", summary: [] }
        : {
          id: item.id,
          type: "reasoning",
          summary: [],
          content: dialect === "vllm" ? null : [],
          status: "in_progress",
        },
    });
    if (dialect === "ollama") {
      for (const delta of split(parts.reasoning)) {
        emit("response.reasoning_summary_text.delta", {
          ...at,
          summary_index: 0,
          delta,
        });
      }
      emit("response.reasoning_summary_text.done", {
        ...at,
        summary_index: 0,
        text: parts.reasoning,
      });
    } else {
      const part = { type: "reasoning_text", text: "" };
      emit(
        dialect === "vllm"
          ? "response.reasoning_part.added"
          : "response.content_part.added",
        { ...at, content_index: 0, part },
      );
      for (const delta of split(parts.reasoning)) {
        emit("response.reasoning_text.delta", {
          ...at,
          content_index: 0,
          delta,
        });
      }
      emit("response.reasoning_text.done", {
        ...at,
        content_index: 0,
        text: parts.reasoning,
      });
      emit(
        dialect === "vllm"
          ? "response.reasoning_part.done"
          : "response.content_part.done",
        {
          ...at,
          content_index: 0,
          part: { type: "reasoning_text", text: parts.reasoning },
        },
      );
    }
    emit("response.output_item.done", { output_index: output, item });
    output++;
  }
  for (const call of parts.calls) {
    const item = items[output];
    const at = { item_id: item.id, output_index: output };
    emit("response.output_item.added", {
      output_index: output,
      item: { ...item, arguments: "", status: "in_progress" },
    });
    const pieces = dialect === "ollama" ? [call.arguments] : split(
      call.arguments,
    );
    for (const delta of pieces) {
      emit("response.function_call_arguments.delta", { ...at, delta });
    }
    emit("response.function_call_arguments.done", {
      ...at,
      arguments: call.arguments,
    });
    emit("response.output_item.done", {
      output_index: output,
      // vLLM's last item of a call has `id: null` and its id in `item_id`.
      item: dialect === "vllm" ? { ...item, id: null, item_id: item.id } : item,
    });
    output++;
  }
  if (parts.content) {
    const item = items[output];
    const at = { item_id: item.id, output_index: output, content_index: 0 };
    emit("response.output_item.added", {
      output_index: output,
      item: { ...item, status: "in_progress", content: [] },
    });
    const part = { type: "output_text", text: "", annotations: [] };
    emit("response.content_part.added", { ...at, part });
    for (const delta of split(parts.content)) {
      emit("response.output_text.delta", { ...at, delta, logprobs: [] });
    }
    emit("response.output_text.done", { ...at, text: parts.content });
    emit("response.content_part.done", {
      ...at,
      part: { ...part, text: parts.content },
    });
    emit("response.output_item.done", { output_index: output, item });
  }
  const final = responseObject(spec, dialect, items, true);
  // vLLM reports a cut response as `response.completed` too.
  const end = dialect !== "vllm" && final.status === "incomplete"
    ? "response.incomplete"
    : "response.completed";
  emit(end, { response: final });
  return events.join("");
}
