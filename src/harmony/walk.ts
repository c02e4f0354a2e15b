/**
 * A conversation message by message as the gpt-oss chat template renders it:
 * each message rendered, or counted from the texts between its special
 * tokens without being rendered, in its context (read in any order with
 * {@link TemplateContexts}, or in order with {@link HarmonyWalk}).
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

/** What the template carries to a message from the rest of the conversation. */
export interface TemplateContext {
  /** The name of the last tool call before it (a tool result is named by it). */
  lastCall: string;
  /** Whether a later assistant message answers without calling tools. */
  finalAfter: boolean;
  /** Whether it is the first message and a system message (the developer message, counted apart). */
  first: boolean;
}

/** @returns The last tool call's name once `message` has been rendered. */
export function lastCallAfter(message: ChatMessage, before: string): string {
  if (message.role !== "assistant") return before;
  const calls = message.tool_calls;
  return calls?.length ? calls[calls.length - 1].function.name : "";
}

/**
 * Counts one message from its special tokens and the texts between them,
 * without building its rendering; `undefined` when a text holds
 * special-token markup (render it then).
 *
 * @param message The message.
 * @param context What the template carries to it.
 * @param count Counts an ordinary text.
 * @param word Counts one of the template's own words (memoised by the caller).
 */
export function countMessagePieces(
  message: ChatMessage,
  context: TemplateContext,
  count: (text: string) => number,
  word: (text: string) => number = count,
): number | undefined {
  if (context.first) return 0;
  const text = contentText(message.content);
  const plain = (t: string) => t.includes("<|") ? NaN : t ? count(t) : 0;
  let n: number;
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
      n = 4 + plain(`functions.${context.lastCall} to=assistant`) +
        word("commentary") + plain(JSON.stringify(text));
      break;
    case "assistant": {
      const calls = message.tool_calls ?? [];
      if (calls.length === 0) {
        n = 4 + word("assistant") + word("final") + plain(text);
        break;
      }
      n = 0;
      const analysis = text || message.reasoning;
      if (analysis && !context.finalAfter) {
        n += 4 + word("assistant") + word("analysis") + plain(analysis);
      }
      for (const call of calls) {
        n += 4 + plain(`assistant to=functions.${call.function.name}`) +
          word("commentary json") +
          plain(argumentsJson(call.function.arguments));
      }
      break;
    }
    default:
      return 0;
  }
  // NaN: a text held special-token markup.
  return Number.isNaN(n) ? undefined : n;
}

/** Renders one message as the template does, in its context. */
export function renderMessage(
  message: ChatMessage,
  context: TemplateContext,
): string {
  if (context.first) return "";
  const text = contentText(message.content);
  switch (message.role) {
    case "system":
    case "developer":
      return developerMessage(text, undefined);
    case "user":
      return `<|start|>user<|message|>${text}<|end|>`;
    case "tool":
      return `<|start|>functions.${context.lastCall} to=assistant<|channel|>commentary<|message|>${
        JSON.stringify(text)
      }<|end|>`;
    case "assistant": {
      const calls = message.tool_calls ?? [];
      if (calls.length === 0) {
        return `<|start|>assistant<|channel|>final<|message|>${text}<|end|>`;
      }
      let out = "";
      const analysis = text || message.reasoning;
      if (analysis && !context.finalAfter) {
        out +=
          `<|start|>assistant<|channel|>analysis<|message|>${analysis}<|end|>`;
      }
      for (const call of calls) {
        out += `<|start|>assistant to=functions.${call.function.name}` +
          `<|channel|>commentary json<|message|>${
            argumentsJson(call.function.arguments)
          }<|call|>`;
      }
      return out;
    }
    default:
      return "";
  }
}

/**
 * The template's context of any message, found by looking only at the
 * messages it depends on: back to the assistant message before it (the last
 * tool call), and once, from the end, to the last answer without tools.
 * Reading the newest messages of a long history costs only them.
 */
export class TemplateContexts {
  readonly #messages: readonly ChatMessage[];
  readonly #first: boolean;
  #lastFinal: number | undefined;

  /** @param messages The conversation. */
  constructor(messages: readonly ChatMessage[]) {
    this.#messages = messages;
    this.#first = isInstructions(messages[0]);
  }

  /**
   * @returns Message `i`'s context; only what its role reads is looked up
   * (the last call for a tool result, a later answer for tool calls), the
   * rest is left empty.
   */
  at(i: number): TemplateContext {
    const messages = this.#messages;
    const message = messages[i];
    let lastCall = "";
    if (message.role === "tool") {
      for (let j = i - 1; j >= 0; j--) {
        if (messages[j].role === "assistant") {
          lastCall = lastCallAfter(messages[j], "");
          break;
        }
      }
    }
    const finalAfter = message.role === "assistant" &&
      Boolean(message.tool_calls?.length) && i < this.#lastFinalIndex();
    return { lastCall, finalAfter, first: i === 0 && this.#first };
  }

  /** The last assistant message that calls no tool, or -1. */
  #lastFinalIndex(): number {
    if (this.#lastFinal === undefined) {
      const messages = this.#messages;
      let i = messages.length - 1;
      while (
        i >= 0 &&
        !(messages[i].role === "assistant" && !messages[i].tool_calls?.length)
      ) i--;
      this.#lastFinal = i;
    }
    return this.#lastFinal;
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

  /** Renders message `i`; call for every message, in order. */
  render(i: number): string {
    const message = this.#messages[i];
    const out = renderMessage(message, {
      lastCall: this.#lastCall,
      finalAfter: this.#finalAfter[i] === 1,
      first: i === 0 && this.#first,
    });
    this.#lastCall = lastCallAfter(message, this.#lastCall);
    return out;
  }
}
