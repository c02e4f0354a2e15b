/**
 * Trims a conversation to the context window: the oldest turns go first;
 * every system message, the turn in progress (the latest user message and
 * what follows it) and, on request, the first user message stay; a tool call is never separated from the results that
 * answer it; and as a last resort a single oversize message is shortened in
 * the middle rather than failing the request.
 *
 * @module
 */

import { ContextSizeError } from "../errors/mod.ts";
import type { ChatMessage, ShortenedMessage, Truncation } from "../types.ts";
import { messageTokenCounts } from "./count.ts";
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
 * `keepFirstUserMessage`; an assistant message that calls tools and the tool
 * messages that answer it are kept or dropped together; what is kept of the
 * rest is the newest run of messages that fits, in order. If the messages
 * that must stay do not fit on their own, the largest of them that is not a
 * system message is shortened in the middle. Each message is counted once, so
 * time is linear in the number of messages.
 *
 * @param messages The conversation.
 * @param options The window (8192 tokens with 2048 for the answer by default),
 * the tokenizer, what the template adds, and what to keep.
 * @returns What was kept, dropped and shortened, the prompt's tokens and the budget.
 * @throws {ContextSizeError} When the messages that must stay do not fit even shortened.
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
  return truncateToWindow(messages, resolveContextOptions(options));
}

/**
 * {@link truncateMessages} with its options already checked: the client's
 * path, which has resolved them once.
 */
export function truncateToWindow(
  messages: readonly ChatMessage[],
  settings: ContextSettings,
): Truncation {
  const { window, tokenizer, template } = settings;
  const { budget } = window;
  const counts = messageTokenCounts(messages, tokenizer, template);
  if (counts.total <= budget) {
    return {
      kept: [...messages],
      dropped: [],
      shortened: [],
      promptTokens: counts.total,
      budget,
    };
  }

  const n = messages.length;
  const keep = new Uint8Array(n);
  let used = counts.fixed;
  const pin = (i: number) => {
    if (keep[i]) return;
    keep[i] = 1;
    used += counts.messages[i];
  };
  for (let i = 0; i < n; i++) {
    const role = messages[i].role;
    if (role === "system" || role === "developer") pin(i);
  }
  // The turn in progress: the latest user message and all that follows it
  // (calls and their results); without a user message, the last unit.
  const latest = latestUserIndex(messages);
  if (latest >= 0) {
    const start = messages[latest].role === "user"
      ? latest
      : unitStart(messages, latest);
    for (let i = start; i < n; i++) pin(i);
  }
  if (settings.keepFirstUserMessage) {
    const first = messages.findIndex((m) => m.role === "user");
    if (first >= 0) pin(first);
  }

  const final = [...messages];
  const shortened: ShortenedMessage[] = [];
  if (used > budget) {
    const target = largestShortenable(messages, keep, counts.messages);
    if (!settings.shortenOversized || target < 0) {
      throw new ContextSizeError({
        promptTokens: used,
        maxContextSize: window.maxContextSize,
        maxTokens: window.maxTokens,
      });
    }
    const allowed = budget - (used - counts.messages[target]);
    const result = shortenMessage(messages, target, allowed, tokenizer);
    if (!result) {
      throw new ContextSizeError({
        promptTokens: used,
        maxContextSize: window.maxContextSize,
        maxTokens: window.maxTokens,
      });
    }
    final[target] = result.message;
    shortened.push(result.report);
    used += result.report.tokensAfter - counts.messages[target];
  }

  // Walk back from the newest unit; stop at the first that does not fit, so
  // that what is kept is one unbroken run of the latest turns.
  let end = n;
  while (end > 0) {
    const start = unitStart(messages, end - 1);
    let cost = 0;
    for (let i = start; i < end; i++) if (!keep[i]) cost += counts.messages[i];
    if (used + cost > budget) break;
    for (let i = start; i < end; i++) keep[i] = 1;
    used += cost;
    end = start;
  }

  const kept: ChatMessage[] = [];
  const dropped: ChatMessage[] = [];
  for (let i = 0; i < n; i++) {
    if (keep[i]) kept.push(final[i]);
    else dropped.push(messages[i]);
  }
  return { kept, dropped, shortened, promptTokens: used, budget };
}

/** The latest user message, or the last message when there is none. */
function latestUserIndex(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === "user") return i;
  }
  return messages.length - 1;
}

/**
 * Where the unit that ends at `last` begins: tool results belong to the
 * assistant message that called the tools, right before them.
 */
function unitStart(messages: readonly ChatMessage[], last: number): number {
  let i = last;
  while (i > 0 && messages[i].role === "tool") i--;
  if (i === last) return last;
  const caller = messages[i];
  return caller.role === "assistant" && caller.tool_calls?.length ? i : i + 1;
}

/** The kept message with the most tokens that may be shortened, or -1. */
function largestShortenable(
  messages: readonly ChatMessage[],
  keep: Uint8Array,
  counts: readonly number[],
): number {
  let best = -1;
  for (let i = 0; i < messages.length; i++) {
    const role = messages[i].role;
    if (!keep[i] || role === "system" || role === "developer") continue;
    if (best < 0 || counts[i] > counts[best]) best = i;
  }
  return best;
}
