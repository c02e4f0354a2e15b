/**
 * The client's context policy, applied before every request: count the
 * prompt as the server will render it; if it plus `maxTokens` does not fit
 * `maxContextSize`, drop the oldest turns (`"truncate"`) or throw (`"error"`).
 *
 * @module
 */

import type { ContextOverflow } from "../options/config.ts";
import type { Tokenizer } from "./tokenizer.ts";
import { truncateMessages } from "./truncate.ts";
import { messageTokenCounts } from "./count.ts";
import { ContextSizeError } from "../errors/mod.ts";
import type { Logger } from "../logger.ts";
import type { ReasoningEffort } from "../wire/reasoning_effort.ts";
import type { ToolDefinition } from "../wire/tools.ts";
import type { ChatMessage, TruncationInfo } from "../types.ts";

/** The window and the policy for one request. */
export interface FitSettings {
  maxContextSize: number;
  maxTokens: number;
  tokenizer: Tokenizer;
  policy: ContextOverflow;
  logger: Logger;
  /** The request's tools, which the template renders into the prompt. */
  tools?: readonly ToolDefinition[];
  /** The request's reasoning effort, which the template writes into the prompt. */
  reasoningEffort?: ReasoningEffort;
  /** Keep the first user message when truncating. */
  keepFirstUserMessage?: boolean;
}

/** The messages to send, and what was dropped or shortened if anything. */
export interface FittedMessages {
  messages: ChatMessage[];
  truncation?: TruncationInfo;
}

/**
 * @param messages The caller's messages, already checked.
 * @param settings The window and the policy.
 * @returns The messages that fit, and the truncation when some were dropped or shortened.
 * @throws {ContextSizeError} Under `"error"` when they do not fit, and under
 * `"truncate"` when what must stay does not fit even shortened.
 */
export function fitToContext(
  messages: ChatMessage[],
  settings: FitSettings,
): FittedMessages {
  const { maxContextSize, maxTokens, tokenizer, tools, reasoningEffort } =
    settings;
  const budget = maxContextSize - maxTokens;
  const template = {
    tokenizer,
    ...(tools ? { tools } : {}),
    ...(reasoningEffort ? { reasoningEffort } : {}),
  };
  if (settings.policy === "error") {
    const promptTokens = messageTokenCounts(messages, template).total;
    if (promptTokens <= budget) return { messages };
    throw new ContextSizeError({ promptTokens, maxContextSize, maxTokens });
  }
  const result = truncateMessages(messages, {
    maxContextSize,
    maxTokens,
    ...template,
    ...(settings.keepFirstUserMessage ? { keepFirstUserMessage: true } : {}),
  });
  if (result.dropped.length === 0 && result.shortened.length === 0) {
    return { messages };
  }
  const shortenedNote = result.shortened.length
    ? ` and shortened ${result.shortened.length} (its middle replaced by a marker)`
    : "";
  settings.logger.info(
    `Dropped ${result.dropped.length} of ${messages.length} messages (the oldest)${shortenedNote} to fit the context window: the prompt now takes about ${result.promptTokens} of ${budget} tokens (maxContextSize ${maxContextSize} minus maxTokens ${maxTokens}).`,
    {
      dropped: result.dropped.length,
      shortened: result.shortened.length,
      promptTokens: result.promptTokens,
      budget,
    },
  );
  return {
    messages: result.kept,
    truncation: {
      dropped: result.dropped,
      shortened: result.shortened,
      promptTokens: result.promptTokens,
      budget,
    },
  };
}
