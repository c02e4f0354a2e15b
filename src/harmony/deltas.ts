/**
 * Applies the harmony splitter to stream deltas and to whole messages: the
 * raw harmony in `content` becomes `reasoning`, `content` and tool calls.
 *
 * @module
 */

import type {
  AssistantMessage,
  StreamDelta,
  ToolCall,
  ToolCallDelta,
} from "../types.ts";
import {
  type HarmonyPiece,
  HarmonySplitter,
  splitHarmony,
} from "./splitter.ts";

/** The id given to a tool call found in raw harmony (servers give none). */
export function harmonyCallId(index: number): string {
  return `call_harmony_${index}`;
}

/** Splits the `content` of one stream's deltas; once the text proves plain, it costs nothing. */
export class HarmonyDeltaSplitter {
  #splitter: HarmonySplitter | undefined = new HarmonySplitter();

  /**
   * Rewrites `delta` in place when its content is (or may be) harmony.
   *
   * @param delta A delta whose `content` is set.
   */
  apply(delta: StreamDelta): void {
    const splitter = this.#splitter;
    if (splitter === undefined || delta.content === undefined) return;
    const pieces = splitter.feed(delta.content);
    if (splitter.isPlain) this.#splitter = undefined;
    delete delta.content;
    addPieces(delta, pieces);
  }

  /**
   * Something other than content comes while text is held back to decide
   * whether it is harmony (the server separates the reasoning itself): the
   * text was plain, and is released first, so that the order is kept.
   *
   * @returns The held-back text as a delta, if there was any.
   */
  release(): StreamDelta | undefined {
    const splitter = this.#splitter;
    if (splitter === undefined || !splitter.undecided) return undefined;
    this.#splitter = undefined;
    const delta: StreamDelta = {};
    addPieces(delta, splitter.end());
    return Object.keys(delta).length ? delta : undefined;
  }

  /** @returns What the splitter still held back, as a delta, at the end of the stream. */
  flush(): StreamDelta | undefined {
    const splitter = this.#splitter;
    if (splitter === undefined) return undefined;
    this.#splitter = undefined;
    const delta: StreamDelta = {};
    addPieces(delta, splitter.end());
    return Object.keys(delta).length ? delta : undefined;
  }
}

function addPieces(delta: StreamDelta, pieces: HarmonyPiece[]): void {
  for (const piece of pieces) {
    if (piece.kind === "content") {
      delta.content = (delta.content ?? "") + piece.text;
    } else if (piece.kind === "reasoning") {
      delta.reasoning = (delta.reasoning ?? "") + piece.text;
    } else {
      const call: ToolCallDelta = { index: piece.index, function: {} };
      if (piece.name !== undefined) {
        call.id = harmonyCallId(piece.index);
        call.type = "function";
        call.function!.name = piece.name;
      }
      if (piece.arguments !== undefined) {
        call.function!.arguments = piece.arguments;
      }
      (delta.toolCalls ??= []).push(call);
    }
  }
}

/**
 * Splits a whole message whose `content` is raw harmony, in place.
 *
 * @param message A normalised assistant message.
 */
export function splitHarmonyMessage(message: AssistantMessage): void {
  if (typeof message.content !== "string") return;
  const pieces = splitHarmony(message.content);
  if (pieces === undefined) return;
  let content = "";
  let reasoning = message.reasoning ?? "";
  const calls: ToolCall[] = [];
  for (const piece of pieces) {
    if (piece.kind === "content") content += piece.text;
    else if (piece.kind === "reasoning") reasoning += piece.text;
    else {
      calls[piece.index] ??= {
        id: harmonyCallId(piece.index),
        type: "function",
        function: { name: "", arguments: "" },
      };
      calls[piece.index].function.name += piece.name ?? "";
      calls[piece.index].function.arguments += piece.arguments ?? "";
    }
  }
  message.content = content === "" && calls.length > 0 ? null : content;
  if (reasoning) message.reasoning = reasoning;
  if (calls.length > 0) {
    message.tool_calls = [...(message.tool_calls ?? []), ...calls];
  }
}
