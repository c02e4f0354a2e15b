/**
 * Assembles stream deltas into a {@link ChatCompletion} of the same shape a
 * non-streamed request returns: content and reasoning appended, each choice
 * apart by its index, tool calls joined by their identity, the finish reason
 * and usage kept.
 *
 * A tool call is identified by its index and its id, whatever shape a server
 * streams it in: a piece with a new id starts a new call even at an index
 * already used; a piece without an index that names a call (an id or a name)
 * is a call of its own; a name a server repeats on later pieces is not
 * appended again. Each piece's `index` is set to its call's place, so that
 * the deltas a caller sees and the completion agree.
 *
 * @module
 */

import { TextBuilder } from "./text_builder.ts";
import type {
  ChatChoice,
  ChatCompletion,
  FinishReason,
  StreamDelta,
  ToolCall,
  ToolCallDelta,
  Usage,
} from "../types.ts";

/** A tool-call piece whose server gave no index; the accumulator gives it one. */
export const NO_INDEX = -1;

/** One choice being assembled. */
class ChoiceState {
  readonly content = new TextBuilder();
  readonly reasoning = new TextBuilder();
  readonly calls: ToolCall[] = [];
  /**
   * Each call's arguments so far: pieces joined in blocks (TextBuilder), not
   * `+=`, whose rope of one node per piece cost memory and collector time
   * on a long call; set on the call when the result is read.
   */
  readonly #arguments: TextBuilder[] = [];
  /** The call each wire index last pointed at. */
  readonly byWireIndex = new Map<number, number>();
  finishReason: FinishReason | null = null;

  get empty(): boolean {
    return this.content.empty && this.reasoning.empty &&
      this.calls.length === 0;
  }

  addCall(piece: ToolCallDelta): void {
    const slot = this.#slotOf(piece);
    let call = this.calls[slot];
    if (call === undefined) {
      call = {
        id: "",
        type: "function",
        function: { name: "", arguments: "" },
      };
      this.calls[slot] = call;
      this.#arguments[slot] = new TextBuilder();
    }
    if (piece.index !== NO_INDEX) this.byWireIndex.set(piece.index, slot);
    piece.index = slot;
    if (piece.id && !call.id) call.id = piece.id;
    const name = piece.function?.name;
    // Some servers repeat the whole name on later pieces; it is not a second
    // part, and the caller's delta does not carry it again either.
    if (name && name === call.function.name) delete piece.function!.name;
    else if (name) call.function.name += name;
    const args = piece.function?.arguments;
    if (args) this.#arguments[slot].add(args);
  }

  #slotOf(piece: ToolCallDelta): number {
    const { id } = piece;
    if (id) {
      const known = this.calls.findIndex((c) => c.id === id);
      if (known !== -1) return known;
    }
    if (piece.index !== NO_INDEX) {
      const slot = this.byWireIndex.get(piece.index);
      if (slot === undefined) return this.calls.length;
      // A new id at an index already used is a new call.
      const current = this.calls[slot].id;
      return id && current && id !== current ? this.calls.length : slot;
    }
    // Without an index: a piece that names a call is a call of its own; a
    // bare piece of arguments belongs to the last call.
    if (id || piece.function?.name || this.calls.length === 0) {
      return this.calls.length;
    }
    return this.calls.length - 1;
  }

  result(index: number): ChatChoice {
    const calls = this.calls;
    for (let slot = 0; slot < calls.length; slot++) {
      calls[slot].function.arguments = this.#arguments[slot].text;
    }
    return {
      index,
      message: {
        role: "assistant",
        content: this.content.empty && calls.length > 0
          ? null
          : this.content.text,
        ...(this.reasoning.empty ? {} : { reasoning: this.reasoning.text }),
        ...(calls.length > 0 ? { tool_calls: calls } : {}),
      },
      finish_reason: this.finishReason,
    };
  }
}

/** Collects a stream; one per request. */
export class CompletionAccumulator {
  id = "";
  model = "";
  created = 0;
  /** Choice 0, the only one nearly every stream has. */
  readonly #first = new ChoiceState();
  #others: Map<number, ChoiceState> | undefined;
  #usage: Usage | undefined;
  #timings: Record<string, number> | undefined;
  /** The Responses API's response object, from the stream's terminal event. */
  response: Record<string, unknown> | undefined;
  /** Reads the latest timings when they are needed (a chunk read without parsing). */
  #readTimings: (() => Record<string, number>) | undefined;

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
      this.#readTimings = undefined;
    }
  }

  /**
   * Notes that the latest chunk's timings are to be read from it when the
   * completion is built (only the last chunk's are kept, so the others are
   * never read).
   *
   * @param read Reads them.
   */
  timingsFrom(read: () => Record<string, number>): void {
    this.#readTimings = read;
  }

  /** Adds one delta; its tool-call pieces get their call's index. */
  add(delta: StreamDelta): void {
    const choice = delta.choice === undefined || delta.choice === 0
      ? this.#first
      : this.#choice(delta.choice);
    if (delta.content !== undefined) choice.content.add(delta.content);
    if (delta.reasoning !== undefined) choice.reasoning.add(delta.reasoning);
    if (delta.finishReason !== undefined) {
      choice.finishReason = delta.finishReason;
    }
    if (delta.usage !== undefined) this.#usage = delta.usage;
    if (delta.toolCalls === undefined) return;
    for (const piece of delta.toolCalls) choice.addCall(piece);
  }

  #choice(index: number): ChoiceState {
    this.#others ??= new Map();
    let state = this.#others.get(index);
    if (state === undefined) {
      state = new ChoiceState();
      this.#others.set(index, state);
    }
    return state;
  }

  /** Whether anything at all arrived. */
  get empty(): boolean {
    if (!this.#first.empty) return false;
    for (const state of this.#others?.values() ?? []) {
      if (!state.empty) return false;
    }
    return true;
  }

  /**
   * @param incomplete Whether the stream broke before its end.
   * @returns The completion so far, its choices in index order.
   */
  result(incomplete = false): ChatCompletion {
    const choices = [this.#first.result(0)];
    const others = [...(this.#others ?? [])].sort(([a], [b]) => a - b);
    for (const [index, state] of others) choices.push(state.result(index));
    const completion: ChatCompletion = {
      id: this.id,
      object: "chat.completion",
      created: this.created || Math.floor(Date.now() / 1000),
      model: this.model,
      choices,
    };
    if (this.#usage) completion.usage = this.#usage;
    if (this.#readTimings) {
      this.#timings = this.#readTimings();
      this.#readTimings = undefined;
    }
    if (this.#timings) completion.timings = this.#timings;
    if (this.response) completion.response = this.response;
    if (incomplete) completion.incomplete = true;
    return completion;
  }
}
