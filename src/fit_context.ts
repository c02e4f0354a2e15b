/**
 * The client's context policy, applied before every request: count the
 * prompt; if it plus `maxTokens` does not fit `maxContextSize`, drop the
 * oldest turns (`"truncate"`) or throw (`"error"`).
 *
 * @module
 */

import type { ContextOverflow } from "./config.ts";
import { countMessageTokens } from "./context/count.ts";
import type { Tokenizer } from "./context/tokenizer.ts";
import { truncateMessages } from "./context/truncate.ts";
import { ContextSizeError } from "./errors/mod.ts";
import type { Logger } from "./logger.ts";
import type { ChatMessage, TruncationInfo } from "./types.ts";

/** The window and the policy for one request. */
export interface FitSettings {
  maxContextSize: number;
  maxTokens: number;
  tokenizer: Tokenizer;
  policy: ContextOverflow;
  logger: Logger;
}

/** The messages to send, and what was dropped if anything. */
export interface FittedMessages {
  messages: ChatMessage[];
  truncation?: TruncationInfo;
}

/**
 * @param messages The caller's messages, already checked.
 * @param settings The window and the policy.
 * @returns The messages that fit, and the truncation when some were dropped.
 * @throws {ContextSizeError} Under `"error"` when they do not fit, and under
 * `"truncate"` when the system messages and the latest user message alone do not.
 */
export function fitToContext(
  messages: ChatMessage[],
  settings: FitSettings,
): FittedMessages {
  const { maxContextSize, maxTokens, tokenizer } = settings;
  const budget = maxContextSize - maxTokens;
  const promptTokens = countMessageTokens(messages, { tokenizer });
  if (promptTokens <= budget) return { messages };
  if (settings.policy === "error") {
    throw new ContextSizeError({ promptTokens, maxContextSize, maxTokens });
  }
  const result = truncateMessages(messages, {
    maxContextSize,
    maxTokens,
    tokenizer,
  });
  settings.logger.info(
    `Dropped ${result.dropped.length} of ${messages.length} messages (the oldest) to fit the context window: the prompt now takes about ${result.promptTokens} of ${budget} tokens (maxContextSize ${maxContextSize} minus maxTokens ${maxTokens}).`,
    {
      dropped: result.dropped.length,
      promptTokens: result.promptTokens,
      budget,
    },
  );
  return {
    messages: result.kept,
    truncation: {
      dropped: result.dropped,
      promptTokens: result.promptTokens,
      budget,
    },
  };
}
