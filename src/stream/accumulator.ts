/**
 * Assembles stream deltas into a {@link ChatCompletion} of the same shape a
 * non-streamed request returns: content and reasoning appended, tool calls
 * joined by index, the finish reason and usage kept.
 *
 * @module
 */

import { TextBuilder } from "./text_builder.ts";
import type {
  ChatCompletion,
  FinishReason,
  StreamDelta,
  ToolCall,
  Usage,
} from "../types.ts";

/** Collects a stream; one per request. */
export class CompletionAccumulator {
  id = "";
  model = "";
  created = 0;
  readonly #content = new TextBuilder();
  readonly #reasoning = new TextBuilder();
  #calls: ToolCall[] = [];
  #finishReason: FinishReason | null = null;
  #usage: Usage | undefined;
  #timings: Record<string, number> | undefined;

  /**
   * Notes the completion's id, model and creation time from the first chunk
   * that has them.
   */
  identify(chunk: Record<string, unknown>): void {
    if (!this.id && typeof chunk.id === "string") this.id = chunk.id;
    if (!this.model && typeof chunk.model === "string") {
      this.model = chunk.model;
    }
    if (!this.created && typeof chunk.created === "number") {
      this.created = chunk.created;
    }
    // llama.cpp sends its timings on chunks; the last one is the whole answer's.
    const timings = chunk.timings;
    if (timings !== null && typeof timings === "object") {
      this.#timings = timings as Record<string, number>;
    }
  }

  /** Adds one delta. */
  add(delta: StreamDelta): void {
    if (delta.content !== undefined) this.#content.add(delta.content);
    if (delta.reasoning !== undefined) this.#reasoning.add(delta.reasoning);
    if (delta.finishReason !== undefined) {
      this.#finishReason = delta.finishReason;
    }
    if (delta.usage !== undefined) this.#usage = delta.usage;
    if (delta.toolCalls === undefined) return;
    for (const piece of delta.toolCalls) {
      let call = this.#calls[piece.index];
      if (call === undefined) {
        call = {
          id: "",
          type: "function",
          function: { name: "", arguments: "" },
        };
        this.#calls[piece.index] = call;
      }
      if (piece.id) call.id = piece.id;
      if (piece.function?.name) call.function.name += piece.function.name;
      if (piece.function?.arguments) {
        call.function.arguments += piece.function.arguments;
      }
    }
  }

  /** Whether anything at all arrived. */
  get empty(): boolean {
    return this.#content.empty && this.#reasoning.empty &&
      this.#calls.length === 0;
  }

  /**
   * @param incomplete Whether the stream broke before its end.
   * @returns The completion so far.
   */
  result(incomplete = false): ChatCompletion {
    const calls = this.#calls.filter((c) => c !== undefined);
    const completion: ChatCompletion = {
      id: this.id,
      object: "chat.completion",
      created: this.created || Math.floor(Date.now() / 1000),
      model: this.model,
      choices: [{
        index: 0,
        message: {
          role: "assistant",
          content: this.#content.empty && calls.length > 0
            ? null
            : this.#content.text,
          ...(this.#reasoning.empty ? {} : { reasoning: this.#reasoning.text }),
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        finish_reason: this.#finishReason,
      }],
    };
    if (this.#usage) completion.usage = this.#usage;
    if (this.#timings) completion.timings = this.#timings;
    if (incomplete) completion.incomplete = true;
    return completion;
  }
}
