/**
 * Whether a conversation fits the context window with room for the answer.
 *
 * @module
 */

import type { ChatMessage } from "../types.ts";
import { assertMessageList, assertValidMessage } from "../wire/messages.ts";
import { systemIndexes } from "./history_scan.ts";
import { messageCosts } from "./message_costs.ts";
import { type ContextOptions, resolveContextOptions } from "./window.ts";

/**
 * The verdict of {@link validateContext}.
 *
 * @example Saying whether a prompt fits
 * ```ts
 * import { type ContextCheck, validateContext } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const say = (c: ContextCheck) =>
 *   c.fits ? "ok" : `${c.complete ? "" : "at least "}${-c.available} tokens too many`;
 * const long = [{ role: "user" as const, content: "word ".repeat(10_000) }];
 * assert.match(say(validateContext(long)), /^\d+ tokens too many$/);
 * const history = Array.from({ length: 500 }, () => long[0]);
 * assert.match(say(validateContext(history)), /^at least \d+ tokens too many$/);
 * ```
 */
export interface ContextCheck {
  /** The prompt's tokens, template overhead included. */
  promptTokens: number;
  /** The tokens the prompt may use: `maxContextSize - maxTokens`. */
  budget: number;
  /** `budget - promptTokens`: what is left; negative when the prompt is too long. */
  available: number;
  /** Whether the prompt plus `maxTokens` fits `maxContextSize`. */
  fits: boolean;
  /**
   * Whether `promptTokens` counts every message. Counting goes from the
   * newest message back and stops once the budget is exceeded, so for a
   * prompt that does not fit this is `false` when older messages were left
   * uncounted: `promptTokens` is then a lower bound (at least
   * `budget + 1`). `countMessageTokens` counts them all.
   */
  complete: boolean;
}

/**
 * Checks that a conversation plus the tokens reserved for the answer fits the
 * context window.
 *
 * @param messages The conversation.
 * @param options The window (8192 tokens with 2048 for the answer by default),
 * the tokenizer, and what the template adds (tools, reasoning effort).
 * @returns The prompt's tokens, the budget, what is left, and whether it fits.
 * @throws {InvalidMessageError} For a malformed message.
 * @throws {ConfigError} For an unknown option, a wrong value or a window that leaves no room.
 *
 * @example Checking a conversation against the window
 * ```ts
 * import { validateContext } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const check = validateContext([{ role: "user", content: "Hi" }], {
 *   maxContextSize: 8192,
 *   maxTokens: 2048,
 * });
 * assert.equal(check.budget, 6144);
 * assert.ok(check.fits && check.available === check.budget - check.promptTokens);
 * ```
 */
export function validateContext(
  messages: readonly ChatMessage[],
  options: ContextOptions = {},
): ContextCheck {
  assertMessageList(messages, true);
  const { window, tokenizer, template } = resolveContextOptions(options);
  const costs = messageCosts(messages, tokenizer, template);
  // Every message's role is read (once per list: history_scan.ts); its
  // content only when it is counted.
  systemIndexes(messages);
  let promptTokens = costs.fixed;
  let i = messages.length - 1;
  for (; i >= 0 && promptTokens <= window.budget; i--) {
    assertValidMessage(messages[i], i);
    promptTokens += costs.at(i);
  }
  const available = window.budget - promptTokens;
  return {
    promptTokens,
    budget: window.budget,
    available,
    fits: available >= 0,
    complete: i < 0,
  };
}
