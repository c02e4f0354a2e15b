/**
 * One pass over a conversation, message by message, in the order the gpt-oss
 * chat template renders it: each message rendered, or counted from the texts
 * between its special tokens without being rendered.
 *
 * @module
 */

import { contentText } from "../wire/messages.ts";
import type { ChatMessage } from "../types.ts";
import { developerMessage, isInstructions } from "./prompt.ts";
import { pythonJson } from "./python_json.ts";

/** Tool-call arguments as the template writes them: parsed, then `tojson`. */
function argumentsJson(text: string): string {
  try {
    return pythonJson(JSON.parse(text));
  } catch {
    return JSON.stringify(text);
  }
}

/**
 * Walks a conversation in order, keeping what the template carries from one
 * message to the next: the name of the last tool call (which names a tool
 * result) and, for each message, whether a later assistant message answers
 * without calling tools (which drops the analysis of earlier tool calls).
 */
export class HarmonyWalk {
  readonly #messages: readonly ChatMessage[];
  readonly #finalAfter: Uint8Array;
  readonly #first: boolean;
  #lastCall = "";
  readonly #words = new Map<string, number>();

  /** @param messages The conversation. */
  constructor(messages: readonly ChatMessage[]) {
    this.#messages = messages;
    this.#first = isInstructions(messages[0]);
    this.#finalAfter = new Uint8Array(messages.length);
    let seenFinal = false;
    for (let i = messages.length - 1; i >= 0; i--) {
      this.#finalAfter[i] = seenFinal ? 1 : 0;
      const m = messages[i];
      if (m.role === "assistant" && !m.tool_calls?.length) seenFinal = true;
    }
  }

  /**
   * Notes message `i` without rendering it: call for every message, in order,
   * that is not {@link HarmonyWalk.render}ed.
   */
  skip(i: number): void {
    const m = this.#messages[i];
    if (m.role !== "assistant") return;
    const calls = m.tool_calls;
    if (!calls?.length) this.#lastCall = "";
    else this.#lastCall = calls[calls.length - 1].function.name;
  }

  /**
   * Counts message `i` from its special tokens and the texts between them,
   * without building its rendering; `undefined` (and nothing noted) when a
   * text holds special-token markup, for {@link HarmonyWalk.render} to handle.
   *
   * @param i The message.
   * @param count Counts an ordinary text.
   */
  countPieces(i: number, count: (text: string) => number): number | undefined {
    const message = this.#messages[i];
    if (i === 0 && this.#first) return 0;
    const text = contentText(message.content);
    const plain = (t: string) => t.includes("<|") ? NaN : t ? count(t) : 0;
    // The template's own words are counted once per walk.
    const word = (t: string) => {
      let n = this.#words.get(t);
      if (n === undefined) this.#words.set(t, n = count(t));
      return n;
    };
    let n: number;
    let lastCall = this.#lastCall;
    switch (message.role) {
      case "system":
      case "developer":
        n = text
          ? 3 + word("developer") + plain(`# Instructions\n\n${text}\n\n`)
          : 0;
        break;
      case "user":
        n = 3 + word("user") + plain(text);
        break;
      case "tool":
        n = 4 + plain(`functions.${lastCall} to=assistant`) +
          word("commentary") + plain(JSON.stringify(text));
        break;
      case "assistant": {
        const calls = message.tool_calls ?? [];
        if (calls.length === 0) {
          lastCall = "";
          n = 4 + word("assistant") + word("final") + plain(text);
          break;
        }
        n = 0;
        const analysis = text || message.reasoning;
        if (analysis && !this.#finalAfter[i]) {
          n += 4 + word("assistant") + word("analysis") + plain(analysis);
        }
        for (const call of calls) {
          n += 4 + plain(`assistant to=functions.${call.function.name}`) +
            word("commentary json") +
            plain(argumentsJson(call.function.arguments));
          lastCall = call.function.name;
        }
        break;
      }
      default:
        return 0;
    }
    // NaN: a text held special-token markup.
    if (Number.isNaN(n)) return undefined;
    this.#lastCall = lastCall;
    return n;
  }

  /** Renders message `i` (the messages before it walked already). */
  render(i: number): string {
    const message = this.#messages[i];
    if (i === 0 && this.#first) return "";
    const text = contentText(message.content);
    switch (message.role) {
      case "system":
      case "developer":
        return developerMessage(text, undefined);
      case "user":
        return `<|start|>user<|message|>${text}<|end|>`;
      case "tool":
        return `<|start|>functions.${this.#lastCall} to=assistant<|channel|>commentary<|message|>${
          JSON.stringify(text)
        }<|end|>`;
      case "assistant": {
        const calls = message.tool_calls ?? [];
        if (calls.length === 0) {
          this.#lastCall = "";
          return `<|start|>assistant<|channel|>final<|message|>${text}<|end|>`;
        }
        let out = "";
        const analysis = text || message.reasoning;
        if (analysis && !this.#finalAfter[i]) {
          out +=
            `<|start|>assistant<|channel|>analysis<|message|>${analysis}<|end|>`;
        }
        for (const call of calls) {
          out += `<|start|>assistant to=functions.${call.function.name}` +
            `<|channel|>commentary json<|message|>${
              argumentsJson(call.function.arguments)
            }<|call|>`;
          this.#lastCall = call.function.name;
        }
        return out;
      }
      default:
        return "";
    }
  }
}
