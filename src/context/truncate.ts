/**
 * Trims a conversation to the context window: the oldest turns go first,
 * each whole (a question is never kept without its answer, nor an answer
 * without its question, nor a tool call without its results); every system
 * message, the turn in progress (the latest user message and what follows
 * it) and, on request, the first user message stay; and as a last resort a
 * message of the turn in progress is shortened in the middle rather than
 * failing the request.
 *
 * @module
 */

import { ContextSizeError } from "../errors/mod.ts";
import { assertMessageList, assertValidMessage } from "../wire/messages.ts";
import { systemIndexes } from "./history_scan.ts";
import type { ChatMessage, ShortenedMessage, Truncation } from "../types.ts";
import { messageCosts } from "./message_costs.ts";
import { shortenMessage } from "./shorten.ts";
import {
  type ContextOptions,
  type ContextSettings,
  resolveContextOptions,
} from "./window.ts";

/**
 * Drops the oldest messages until the conversation plus `maxTokens` fits
 * `maxContextSize`. Every system (and developer) message and the turn in
 * progress (the latest user message and the calls and results after it) are
 * always kept, and the first user message too with
 * `keepFirstUserMessage`; a turn (a user message and everything that
 * answers it, tool calls and their results included) is kept or dropped
 * whole; what is kept of the rest is the newest run of turns that fits, in
 * order. If what must stay does not fit on its own, the largest message of
 * the turn in progress is shortened in the middle. Only the messages that
 * can stay are counted (the newest, back to the first turn that does not
 * fit), and each message object is counted once across calls, so the time
 * is bounded by the window rather than the history; messages dropped
 * unread are checked for a role only, once per array: a history that grows
 * by `push` is read again from where it grew (one whose message was
 * replaced in place by a system message is not noticed: pass a new array
 * after such an edit).
 *
 * @param messages The conversation.
 * @param options The window (8192 tokens with 2048 for the answer by default),
 * the tokenizer, what the template adds, and what to keep.
 * @returns What was kept, dropped and shortened, the prompt's tokens and the budget.
 * @throws {ContextSizeError} When the messages that must stay do not fit even shortened.
 * @throws {InvalidMessageError} For a malformed message.
 * @throws {ConfigError} For an unknown option, a wrong value or a window that leaves no room.
 *
 * @example Keeping a long chat within 4096 tokens
 * ```ts
 * import { type ChatMessage, truncateMessages } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const history: ChatMessage[] = [{ role: "system", content: "Be brief." }];
 * history.push({ role: "user", content: "Task: answer my questions about primes." });
 * for (let i = 0; i < 200; i++) {
 *   history.push({ role: "user", content: `Question ${i}: ${"why ".repeat(20)}` });
 *   history.push({ role: "assistant", content: `Answer ${i}: ${"because ".repeat(20)}` });
 * }
 * history.push({ role: "user", content: "And finally?" });
 * const { kept, dropped, promptTokens } = truncateMessages(history, {
 *   maxContextSize: 4096,
 *   maxTokens: 1024,
 *   keepFirstUserMessage: true,
 * });
 * assert.equal(kept[1].content, "Task: answer my questions about primes.");
 * assert.equal(kept.at(-1)?.content, "And finally?");
 * assert.ok(dropped.length > 0 && promptTokens <= 4096 - 1024);
 * ```
 */
export function truncateMessages(
  messages: readonly ChatMessage[],
  options: ContextOptions = {},
): Truncation {
  assertMessageList(messages, true);
  return truncateToWindow(messages, resolveContextOptions(options));
}

/**
 * {@link truncateMessages} with its options already checked: the client's
 * path, which has resolved them once. Each message it counts is checked
 * first; the older ones it drops unread are checked for a role only.
 */
export function truncateToWindow(
  original: readonly ChatMessage[],
  settings: ContextSettings,
  prepare?: (message: ChatMessage, i: number) => ChatMessage,
): Truncation {
  const { window, tokenizer, template } = settings;
  const { budget } = window;
  // What is counted and sent: each message prepared when first read; the
  // others are only looked at for their roles and tool calls, which
  // preparing does not change.
  const messages = original as ChatMessage[];
  const costs = messageCosts(messages, tokenizer, template);
  const n = messages.length;
  const cost = new Map<number, number>();
  const sent = new Map<number, ChatMessage>();
  const sentAt = (i: number) => sent.get(i) ?? messages[i];
  const costOf = (i: number): number => {
    let known = cost.get(i);
    if (known === undefined) {
      assertValidMessage(original[i], i);
      const message = prepare ? prepare(original[i], i) : original[i];
      if (message !== original[i]) sent.set(i, message);
      cost.set(i, known = costs.at(i, message));
    }
    return known;
  };
  // What stays whatever else fits (a set: the history's length is not
  // paid for).
  const pinnedAt = new Set<number>();
  let used = costs.fixed;
  const pin = (i: number) => {
    if (pinnedAt.has(i)) return;
    pinnedAt.add(i);
    used += costOf(i);
  };
  // Every system message stays wherever it is (history_scan.ts: the
  // whole history read once, then only what was added to it).
  const systems = systemIndexes(messages);
  for (const i of systems) pin(i);
  const turns = new TurnReader(messages);
  // The turn in progress: the latest user message and all that follows it
  // (calls and their results); without a user message, the last unit.
  const current = n === 0 ? 0 : turns.start(n - 1);
  for (let i = current; i < n; i++) pin(i);
  // The older messages that stay whatever fits, in order.
  let pinned = systems;
  if (settings.keepFirstUserMessage) {
    const first = messages.findIndex((m) => m?.role === "user");
    if (first >= 0) {
      pin(first);
      pinned = [
        ...systems.filter((i) => i < first),
        first,
        ...systems.filter((i) => i > first),
      ];
    }
  }

  let replaced: { index: number; message: ChatMessage } | undefined;
  const shortened: ShortenedMessage[] = [];
  if (used > budget) {
    const target = largestShortenable(messages, current, costOf);
    if (!settings.shortenOversized || target < 0) {
      throw new ContextSizeError({
        promptTokens: used,
        maxContextSize: window.maxContextSize,
        maxTokens: window.maxTokens,
      });
    }
    const allowed = budget - (used - costOf(target));
    const view = sent.size ? messages.map((_, i) => sentAt(i)) : messages;
    const result = shortenMessage(view, target, allowed, tokenizer);
    if (!result) {
      throw new ContextSizeError({
        promptTokens: used,
        maxContextSize: window.maxContextSize,
        maxTokens: window.maxTokens,
      });
    }
    replaced = { index: target, message: result.message };
    shortened.push(result.report);
    used += result.report.tokensAfter - costOf(target);
  }

  // Walk back from the newest turn; stop at the first that does not fit, so
  // that what is kept is one unbroken run of the latest turns, each whole,
  // and nothing older is counted.
  let end = n;
  while (end > 0) {
    const start = turns.start(end - 1);
    let extra = 0;
    for (let i = start; i < end && used + extra <= budget; i++) {
      if (!pinnedAt.has(i)) extra += costOf(i);
    }
    if (used + extra > budget) break;
    used += extra;
    end = start;
  }
  // What is kept is the pinned messages before `end` and everything from
  // it on; the rest, the caller's own objects, is what was dropped.
  const kept: ChatMessage[] = [];
  const droppedRuns: ChatMessage[][] = [];
  let from = 0;
  for (const i of pinned) {
    if (i >= end) break;
    if (i > from) droppedRuns.push(original.slice(from, i));
    kept.push(sentAt(i));
    from = i + 1;
  }
  if (end > from) droppedRuns.push(original.slice(from, end));
  const dropped = droppedRuns.length === 1
    ? droppedRuns[0]
    : ([] as ChatMessage[]).concat(...droppedRuns);
  const before = kept.length;
  for (let i = end; i < n; i++) kept.push(sentAt(i));
  // Only the turn in progress is shortened, and it is never dropped.
  if (replaced) kept[before + replaced.index - end] = replaced.message;
  return { kept, dropped, shortened, promptTokens: used, budget };
}

/**
 * Where turns begin, found walking back: a turn starts at the user message
 * that opened it, so that a question and everything that answers it (tool
 * calls and their results included) are kept or dropped together. Before
 * the first user message, or in a history without one, a unit is a
 * message, or an assistant message that calls tools with the results after
 * it. Walking back over a history costs one look at each message.
 */
class TurnReader {
  readonly #messages: readonly ChatMessage[];
  /** No user message before this index (known once a scan reached the start). */
  #noUserBefore = 0;

  constructor(messages: readonly ChatMessage[]) {
    this.#messages = messages;
  }

  /** @returns Where the turn that holds message `last` begins. */
  start(last: number): number {
    const messages = this.#messages;
    if (last >= this.#noUserBefore) {
      for (let i = last; i >= this.#noUserBefore; i--) {
        if (messages[i]?.role === "user") return i;
      }
      this.#noUserBefore = last + 1;
    }
    return unitStart(messages, last);
  }
}

/** Where the unit that ends at `last` begins: tool results belong to the call before them. */
function unitStart(messages: readonly ChatMessage[], last: number): number {
  let i = last;
  while (i > 0 && messages[i]?.role === "tool") i--;
  if (i === last) return last;
  const caller = messages[i];
  return caller?.role === "assistant" && caller.tool_calls?.length ? i : i + 1;
}

/**
 * The message of the turn in progress (from `current` on) with the most
 * tokens that may be shortened, or -1: only that turn may be shortened.
 */
function largestShortenable(
  messages: readonly ChatMessage[],
  current: number,
  costOf: (i: number) => number,
): number {
  let best = -1;
  for (let i = current; i < messages.length; i++) {
    const role = messages[i].role;
    if (role === "system" || role === "developer") continue;
    if (best < 0 || costOf(i) > costOf(best)) best = i;
  }
  return best;
}
