/**
 * Decodes the text of a Responses API stream into deltas: SSE events, each a
 * JSON object whose `type` names it, then {@link StreamDelta}s, assembled
 * along the way.
 *
 * What the servers send, all accepted:
 * - reasoning as `response.reasoning_text.delta` (vLLM, LM Studio) or
 *   `response.reasoning_summary_text.delta` (Ollama); a reasoning item's
 *   text is taken from the first of the two that brings it, so that a
 *   server sending both does not double it. vLLM's own
 *   `response.reasoning_part.added` and LM Studio's `content_part.added` of
 *   a `reasoning_text` part carry no text and need nothing;
 * - the answer as `response.output_text.delta`; tool calls as a
 *   `function_call` item (`response.output_item.added`, its `call_id` and
 *   name), then `response.function_call_arguments.delta` pieces, matched to
 *   their call by `item_id` or `output_index` (vLLM's `output_item.done`
 *   has `id: null`);
 * - a `.done` event brings the whole text of a part or the arguments of a
 *   call; it is used only when no delta brought any of it;
 * - the end: `response.completed`, `response.incomplete` or
 *   `response.failed`, whose response's `status` decides (vLLM reports a
 *   cut or cancelled response as `response.completed`); no `data: [DONE]`.
 *   A stream that ends without one is incomplete. An `error` event or a
 *   failed response ends it with a typed error, after every delta before.
 *
 * Sources: captures vllm/20, vllm/22 (vLLM 28be48fa9), vllm-0.32 (vLLM
 * 0.32.0), lmstudio/32; Ollama openai/responses.go (`ResponsesStreamConverter`).
 *
 * @module
 */

import { DecoderBase, parseEventObject } from "../../stream/decoder_base.ts";
import type { DecoderOptions } from "../../stream/decoder.ts";
import { errorFromBody, excerpt } from "../../http/error_body.ts";
import { InvalidResponseError } from "../../errors/mod.ts";
import { HarmonyDeltaSplitter } from "../../harmony/deltas.ts";
import { SseParser } from "../../stream/sse.ts";
import type { StreamDelta } from "../../types.ts";
import {
  failureOf,
  finishReasonOf,
  isFinalStatus,
  messageOf,
  usageOf,
} from "./response_object.ts";

import { isPlainObject } from "../../checks.ts";

type Json = Record<string, unknown>;

/** Where an error sent inside a stream comes from. */
const IN_STREAM = { status: 200, statusText: "error in stream" } as const;

/** Which event kind brought a reasoning item's text. */
type ReasoningKind = "text" | "summary";

/** Decodes one stream; a failure ends it and is kept in {@link ResponsesEventDecoder.failure}. */
export class ResponsesEventDecoder extends DecoderBase {
  readonly #harmony: HarmonyDeltaSplitter | undefined;
  readonly #parser: SseParser;
  /** A call's place by its item id and by its output index. */
  readonly #calls = new Map<string | number, number>();
  /** How many calls there are. */
  #callCount = 0;
  /** The calls whose arguments some piece brought. */
  readonly #callArgs = new Set<number>();
  /** By output index: which kind brought its reasoning. */
  readonly #reasoning = new Map<number, ReasoningKind>();
  /** The output indexes some text delta came for. */
  readonly #texts = new Set<number>();

  /** @param options Whether to split raw harmony in the answer, and the longest event. */
  constructor(options: Partial<DecoderOptions> = {}) {
    super();
    this.#parser = new SseParser(
      (data, event) => this.#onEvent(data, event),
      undefined,
      options.maxEventLength,
    );
    if (options.splitHarmony !== false) {
      this.#harmony = new HarmonyDeltaSplitter();
    }
  }

  /** Reads SSE events; the terminal event ends the stream. */
  protected read(text: string): void {
    this.#parser.feed(text);
  }

  /** @returns What the harmony splitter held back, once the stream is over. */
  flush(): StreamDelta[] {
    const held = this.#harmony?.flush();
    if (!held) return [];
    this.accumulator.add(held);
    return [held];
  }

  /** @returns Whether the stream ended with its terminal event. */
  end(): boolean {
    this.#parser.end();
    return this.finished;
  }

  #onEvent(data: string, name: string): void {
    if (this.finished) return;
    const record = parseEventObject(data, "A stream event");
    const type = typeof record.type === "string" ? record.type : name;
    const index = typeof record.output_index === "number"
      ? record.output_index
      : -1;
    switch (type) {
      case "response.reasoning_text.delta":
        return this.#reasoningPiece(index, "text", record.delta);
      case "response.reasoning_summary_text.delta":
        return this.#reasoningPiece(index, "summary", record.delta);
      case "response.reasoning_text.done":
        if (!this.#reasoning.has(index)) {
          this.#reasoningPiece(index, "text", record.text);
        }
        return;
      case "response.reasoning_summary_text.done":
        if (!this.#reasoning.has(index)) {
          this.#reasoningPiece(index, "summary", record.text);
        }
        return;
      case "response.output_text.delta":
        return this.#textPiece(index, record.delta);
      case "response.output_text.done":
        if (!this.#texts.has(index)) this.#textPiece(index, record.text);
        return;
      case "response.output_item.added":
        // A call whose argument pieces came first is not a second call.
        if (
          isFunctionCall(record.item) &&
          this.#callOf(record.item, index) === undefined
        ) {
          this.#startCall(record.item, index);
        }
        return;
      case "response.function_call_arguments.delta":
        return this.#argumentsPiece(record, index, record.delta);
      case "response.function_call_arguments.done":
        return this.#argumentsDone(record, index, record.arguments);
      case "response.output_item.done":
        if (isFunctionCall(record.item)) {
          const item = record.item;
          if (this.#callOf(item, index) === undefined) {
            this.#startCall(item, index);
          }
          this.#argumentsDone(item, index, item.arguments);
        }
        return;
      case "response.created":
      case "response.in_progress":
        return this.#identify(record.response);
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        return this.#finish(record.response, data);
      case "error":
        throw errorFromBody(IN_STREAM, excerpt(data), {
          error: isPlainObject(record.error) ? record.error : record,
        });
      default:
        // Events that carry nothing the completion needs (parts added,
        // web-search progress, a server's own extensions).
        return;
    }
  }

  #identify(response: unknown): void {
    if (!isPlainObject(response)) return;
    this.accumulator.identify({
      id: response.id,
      model: response.model,
      created: response.created_at,
    });
  }

  #reasoningPiece(index: number, kind: ReasoningKind, text: unknown): void {
    if (typeof text !== "string" || text === "") return;
    const first = this.#reasoning.get(index);
    if (first === undefined) this.#reasoning.set(index, kind);
    else if (first !== kind) return;
    this.#take({ reasoning: text });
  }

  #textPiece(index: number, text: unknown): void {
    if (typeof text !== "string" || text === "") return;
    this.#texts.add(index);
    const delta: StreamDelta = { content: text };
    this.#harmony?.apply(delta);
    this.#pass(delta);
  }

  #callOf(item: Json, index: number): number | undefined {
    const id = item.item_id ?? item.id;
    return (typeof id === "string" ? this.#calls.get(id) : undefined) ??
      this.#calls.get(index);
  }

  #startCall(item: Json, index: number): void {
    const slot = this.#callCount++;
    if (typeof item.id === "string" && item.id !== "") {
      this.#calls.set(item.id, slot);
    }
    if (index !== -1) this.#calls.set(index, slot);
    const callId = typeof item.call_id === "string" && item.call_id !== ""
      ? item.call_id
      : typeof item.id === "string"
      ? item.id
      : `call_${slot}`;
    const args = typeof item.arguments === "string" ? item.arguments : "";
    if (args !== "") this.#callArgs.add(slot);
    this.#take({
      toolCalls: [{
        index: slot,
        id: callId,
        type: "function",
        function: {
          name: typeof item.name === "string" ? item.name : "",
          ...(args !== "" ? { arguments: args } : {}),
        },
      }],
    });
  }

  #argumentsPiece(record: Json, index: number, text: unknown): void {
    if (typeof text !== "string" || text === "") return;
    let slot = this.#callOf(record, index);
    if (slot === undefined) {
      // Arguments of a call never announced: a call of its own.
      this.#startCall(record, index);
      slot = this.#callOf(record, index)!;
    }
    this.#callArgs.add(slot);
    this.#take({ toolCalls: [{ index: slot, function: { arguments: text } }] });
  }

  #argumentsDone(record: Json, index: number, text: unknown): void {
    const slot = this.#callOf(record, index);
    if (slot === undefined || this.#callArgs.has(slot)) return;
    this.#argumentsPiece(record, index, text);
  }

  #finish(response: unknown, data: string): void {
    if (!isPlainObject(response)) {
      throw new InvalidResponseError(
        "The stream's last event has no response object.",
        excerpt(data),
      );
    }
    if (response.status === "failed") {
      throw failureOf(response, IN_STREAM, excerpt(data));
    }
    this.#identify(response);
    // A server that streamed no deltas at all: the answer from the output.
    if (this.accumulator.empty && Array.isArray(response.output)) {
      const message = messageOf(response.output);
      if (message.reasoning) this.#take({ reasoning: message.reasoning });
      if (message.content) this.#textPiece(-2, message.content);
      for (const call of message.tool_calls ?? []) {
        this.#startCall({
          call_id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        }, -1);
      }
    }
    const calledTools = this.#callCount > 0;
    const finishReason = finishReasonOf(response, calledTools) ??
      (calledTools ? "tool_calls" : "stop");
    const usage = usageOf(response.usage, this.#reasoning.size > 0);
    this.#pass({ finishReason, ...(usage ? { usage } : {}) });
    this.accumulator.response = response;
    this.finished = isFinalStatus(response.status) ||
      response.status === undefined;
  }

  /** A delta that is not answer text: what the harmony splitter held goes first. */
  #take(delta: StreamDelta): void {
    const held = this.#harmony?.release();
    if (held) this.#pass(held);
    this.#pass(delta);
  }

  #pass(delta: StreamDelta): void {
    this.accumulator.add(delta);
    if (
      delta.content !== undefined || delta.reasoning !== undefined ||
      delta.toolCalls !== undefined || delta.finishReason !== undefined ||
      delta.usage !== undefined
    ) {
      this.pending.push(delta);
    }
  }
}

function isFunctionCall(item: unknown): item is Json {
  return isPlainObject(item) && item.type === "function_call";
}
