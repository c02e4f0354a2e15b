/**
 * The client's context policy, applied before every request: earlier turns'
 * reasoning dropped (history.ts), the prompt counted as the server will
 * render it, and if it plus `maxTokens` does not fit `maxContextSize`, the
 * oldest turns dropped (`"truncate"`) or a {@link ContextSizeError} thrown
 * (`"error"`).
 *
 * @module
 */

import { ContextSizeError } from "../errors/mod.ts";
import type { HarmonyPromptOptions } from "../harmony/prompt.ts";
import type { Logger } from "../logger.ts";
import type { ChatMessage, Truncation } from "../types.ts";
import { messageTokenCounts } from "./count.ts";
import { latestUserIndex, prepareHistory, prepareMessage } from "./history.ts";
import { systemIndexes } from "./history_scan.ts";
import type { Tokenizer } from "./tokenizer.ts";
import { truncateToWindow } from "./truncate.ts";
import { contextWindow } from "./window.ts";

/**
 * What the client does when the conversation does not fit the context window:
 * drop the oldest turns, or throw a `ContextSizeError`.
 *
 * @example Failing instead of trimming
 * ```ts
 * import { type ContextOverflow, GptOssClient } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const contextOverflow: ContextOverflow = "error";
 * assert.equal(new GptOssClient({ contextOverflow }).settings.contextOverflow, "error");
 * ```
 */
export type ContextOverflow = "truncate" | "error";

/** The context policy of a request, checked. */
export interface ContextPolicy {
  contextOverflow: ContextOverflow;
  keepReasoning: boolean;
  keepFirstUserMessage: boolean;
}

/** The window, the tokenizer, the template and the policy for one request. */
export interface FitSettings {
  maxContextSize: number;
  maxTokens: number;
  tokenizer: Tokenizer;
  /** What the template adds (the request's tools and reasoning effort). */
  template: HarmonyPromptOptions;
  policy: ContextPolicy;
  logger: Logger;
}

/** The messages to send, their count, and what was dropped or shortened if anything. */
export interface FittedMessages {
  messages: ChatMessage[];
  /** Their prompt tokens, as the tokenizer counts them. */
  promptTokens: number;
  truncation?: Truncation;
}

/**
 * @param messages The caller's messages, their list and roles already
 * checked; each message sent is checked whole here.
 * @param settings The window, the template and the policy.
 * @returns The messages that fit, and the truncation when some were dropped or shortened.
 * @throws {ConfigError} When `maxTokens` leaves no room for a prompt.
 * @throws {ContextSizeError} Under `"error"` when they do not fit, and under
 * `"truncate"` when what must stay does not fit even shortened.
 * @throws {InvalidMessageError} For a malformed message that would be sent.
 */
export function fitToContext(
  messages: readonly ChatMessage[],
  settings: FitSettings,
): FittedMessages {
  const { maxContextSize, maxTokens, tokenizer, template, policy } = settings;
  const window = contextWindow(maxContextSize, maxTokens);
  if (policy.contextOverflow === "error") {
    // Every message is counted and sent: each checked whole first.
    systemIndexes(messages, true);
    const prepared = prepareHistory(messages, policy.keepReasoning);
    const promptTokens =
      messageTokenCounts(prepared, tokenizer, template).total;
    if (promptTokens <= window.budget) {
      return { messages: prepared, promptTokens };
    }
    throw new ContextSizeError({ promptTokens, maxContextSize, maxTokens });
  }
  // Each message is prepared when the fitting reads it: the older ones it
  // drops unread cost nothing.
  const latestUser = latestUserIndex(messages);
  const result = truncateToWindow(
    messages,
    {
      window,
      tokenizer,
      template,
      keepFirstUserMessage: policy.keepFirstUserMessage,
      shortenOversized: true,
    },
    (message, i) =>
      prepareMessage(message, policy.keepReasoning || i > latestUser),
  );
  if (result.dropped.length === 0 && result.shortened.length === 0) {
    return { messages: result.kept, promptTokens: result.promptTokens };
  }
  const shortenedNote = result.shortened.length
    ? ` and shortened ${result.shortened.length} (its middle replaced by a marker)`
    : "";
  settings.logger.info(
    `Dropped ${result.dropped.length} of ${messages.length} messages (the oldest)${shortenedNote} to fit the context window: the prompt now takes about ${result.promptTokens} of ${window.budget} tokens (maxContextSize ${maxContextSize} minus maxTokens ${maxTokens}).`,
    {
      dropped: result.dropped.length,
      shortened: result.shortened.length,
      promptTokens: result.promptTokens,
      budget: window.budget,
    },
  );
  return {
    messages: result.kept,
    promptTokens: result.promptTokens,
    truncation: result,
  };
}
