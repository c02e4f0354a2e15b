/**
 * Counts the tokens a conversation takes once the server has rendered it with
 * the gpt-oss chat template.
 *
 * @module
 */

import { contentText } from "../messages.ts";
import type { ChatMessage } from "../types.ts";
import { estimatingTokenizer } from "./estimate.ts";
import {
  ASSISTANT_CHANNEL,
  CONVERSATION_OVERHEAD,
  INSTRUCTIONS_HEADER,
  MESSAGE_OVERHEAD,
  TOOL_CALL_OVERHEAD,
  TOOL_RESULT_OVERHEAD,
} from "./harmony_overhead.ts";
import type { Tokenizer } from "./tokenizer.ts";

/**
 * Options for {@link countMessageTokens}.
 *
 * @example
 * ```ts
 * import { estimatingTokenizer, type CountOptions } from "@gptoss/client";
 * const options: CountOptions = { tokenizer: estimatingTokenizer };
 * ```
 */
export interface CountOptions {
  /** What counts the text; the built-in estimator by default. */
  tokenizer?: Tokenizer;
}

/**
 * The tokens of one message as the template renders it, without the
 * conversation's fixed overhead.
 *
 * @param message The message.
 * @param tokenizer What counts its text.
 * @returns Its tokens.
 *
 * @example
 * ```ts
 * import { estimatingTokenizer, messageTokens } from "@gptoss/client";
 * console.log(messageTokens({ role: "user", content: "Hi" }, estimatingTokenizer));
 * ```
 */
export function messageTokens(
  message: ChatMessage,
  tokenizer: Tokenizer,
): number {
  const text = contentText(message.content);
  let tokens = MESSAGE_OVERHEAD + (text ? tokenizer.count(text) : 0);
  if (message.name) tokens += tokenizer.count(message.name);
  switch (message.role) {
    case "system":
    case "developer":
      return tokens + INSTRUCTIONS_HEADER;
    case "tool":
      return tokens + TOOL_RESULT_OVERHEAD;
    case "assistant": {
      tokens += ASSISTANT_CHANNEL;
      // Reasoning that is sent (the turn in progress, or kept on purpose) is
      // rendered as an analysis message of its own.
      if (message.reasoning) {
        tokens += MESSAGE_OVERHEAD + ASSISTANT_CHANNEL +
          tokenizer.count(message.reasoning);
      }
      for (const call of message.tool_calls ?? []) {
        tokens += MESSAGE_OVERHEAD + TOOL_CALL_OVERHEAD +
          tokenizer.count(call.function.name) +
          tokenizer.count(call.function.arguments);
      }
      return tokens;
    }
    default:
      return tokens;
  }
}

/**
 * Counts the prompt tokens of a conversation: each message with the harmony
 * format's per-message tokens, plus the template's own system message and the
 * tokens that prime the reply.
 *
 * @param messages The conversation.
 * @param options The tokenizer; the built-in estimator by default.
 * @returns The prompt's tokens.
 *
 * @example
 * ```ts
 * import { countMessageTokens } from "@gptoss/client";
 * const tokens = countMessageTokens([
 *   { role: "system", content: "Be brief." },
 *   { role: "user", content: "What is 2 + 2?" },
 * ]);
 * console.log(tokens); // about 85
 * ```
 */
export function countMessageTokens(
  messages: readonly ChatMessage[],
  options: CountOptions = {},
): number {
  const tokenizer = options.tokenizer ?? estimatingTokenizer;
  let total = CONVERSATION_OVERHEAD;
  for (const message of messages) total += messageTokens(message, tokenizer);
  return total;
}
