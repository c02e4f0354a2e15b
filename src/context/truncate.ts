/**
 * Trims a conversation to the context window: the oldest turns go first,
 * every system message and the latest user message stay, and a tool call is
 * never separated from the results that answer it.
 *
 * @module
 */

import { ContextSizeError } from "../errors/mod.ts";
import type { ChatMessage } from "../types.ts";
import { messageTokens } from "./count.ts";
import { CONVERSATION_OVERHEAD } from "./harmony_overhead.ts";
import { type ContextOptions, resolveContextWindow } from "./window.ts";

/**
 * What {@link truncateMessages} kept and dropped.
 *
 * @example
 * ```ts
 * import type { TruncationResult } from "@gptoss/client";
 * const report = (r: TruncationResult) =>
 *   `${r.kept.length} kept, ${r.dropped.length} dropped, ${r.promptTokens}/${r.budget} tokens`;
 * ```
 */
export interface TruncationResult {
  /** The messages to send, in their original order. */
  kept: ChatMessage[];
  /** The messages left out, in their original order. */
  dropped: ChatMessage[];
  /** The prompt tokens of `kept`, template overhead included. */
  promptTokens: number;
  /** The tokens the prompt may use: `maxContextSize - maxTokens`. */
  budget: number;
}

/**
 * Drops the oldest messages until the conversation plus `maxTokens` fits
 * `maxContextSize`. Every system (and developer) message and the latest user
 * message are always kept; an assistant message that calls tools and the tool
 * messages that answer it are kept or dropped together; what is kept is the
 * newest run of messages that fits, in order. Time is linear in the number of
 * messages, each counted once.
 *
 * @param messages The conversation.
 * @param options The window; 8192 tokens with 2048 for the answer by default.
 * @returns The kept and dropped messages, the prompt's tokens and the budget.
 * @throws {ContextSizeError} When the system messages and the latest user
 * message alone do not fit.
 * @throws {ConfigError} For a wrong window.
 *
 * @example Keeping a long chat within 4096 tokens
 * ```ts
 * import { type ChatMessage, truncateMessages } from "@gptoss/client";
 * const history: ChatMessage[] = [{ role: "system", content: "Be brief." }];
 * for (let i = 0; i < 200; i++) {
 *   history.push({ role: "user", content: `Question ${i}: ${"why ".repeat(20)}` });
 *   history.push({ role: "assistant", content: `Answer ${i}: ${"because ".repeat(20)}` });
 * }
 * history.push({ role: "user", content: "And finally?" });
 * const { kept, dropped } = truncateMessages(history, { maxContextSize: 4096, maxTokens: 1024 });
 * console.log(kept[0].role, kept.at(-1)?.content, dropped.length > 0); // system And finally? true
 * ```
 */
export function truncateMessages(
  messages: readonly ChatMessage[],
  options: ContextOptions = {},
): TruncationResult {
  const window = resolveContextWindow(options);
  const { budget } = window;
  const counts = messages.map((m) => messageTokens(m, window.tokenizer));
  let total = CONVERSATION_OVERHEAD;
  for (const count of counts) total += count;
  if (total <= budget) {
    return { kept: [...messages], dropped: [], promptTokens: total, budget };
  }

  const keep = new Uint8Array(messages.length);
  let used = CONVERSATION_OVERHEAD;
  const pin = (i: number) => {
    keep[i] = 1;
    used += counts[i];
  };
  messages.forEach((m, i) => {
    if (m.role === "system" || m.role === "developer") pin(i);
  });
  const latest = latestUserIndex(messages);
  if (latest >= 0) {
    // Without a user message the last unit is kept whole (a call with its results).
    const start = messages[latest].role === "user"
      ? latest
      : unitStart(messages, latest);
    for (let i = start; i <= latest; i++) if (!keep[i]) pin(i);
  }
  if (used > budget) {
    throw new ContextSizeError({
      promptTokens: used,
      maxContextSize: window.maxContextSize,
      maxTokens: window.maxTokens,
    });
  }

  // Walk back from the newest unit; stop at the first that does not fit, so
  // that what is kept is one unbroken run of the latest turns.
  let end = messages.length;
  while (end > 0) {
    const start = unitStart(messages, end - 1);
    let cost = 0;
    for (let i = start; i < end; i++) if (!keep[i]) cost += counts[i];
    if (used + cost > budget) break;
    for (let i = start; i < end; i++) keep[i] = 1;
    used += cost;
    end = start;
  }

  const kept: ChatMessage[] = [];
  const dropped: ChatMessage[] = [];
  messages.forEach((m, i) => (keep[i] ? kept : dropped).push(m));
  return { kept, dropped, promptTokens: used, budget };
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
