/**
 * Counts the tokens of a conversation as the server sees it: rendered with the
 * gpt-oss chat template, each special token one token, the rest counted by the
 * tokenizer (exact with `@gptoss/client/tokenizer`, estimated otherwise).
 *
 * @module
 */

import type { ChatMessage } from "../types.ts";
import { assertValidMessages } from "../wire/messages.ts";
import type { HarmonyPromptOptions } from "../harmony/prompt.ts";
import { messageCosts } from "./message_costs.ts";
import type { Tokenizer } from "./tokenizer.ts";
import { type ContextOptions, resolveCountingOptions } from "./window.ts";

/** A conversation's prompt tokens, split where messages begin. */
export interface MessageTokenCounts {
  /** The template's system and developer messages and the generation prompt. */
  fixed: number;
  /** Each message's own tokens; 0 for a first system message, which is in `fixed`. */
  messages: number[];
  /** `fixed` plus every message. */
  total: number;
}

/**
 * Counts each message of a conversation once, as the template renders it in
 * place, so that any run of the latest messages can be priced by addition.
 *
 * @param messages The conversation.
 * @param tokenizer What counts the text.
 * @param template What the template adds.
 * @returns The fixed tokens, each message's tokens, and the total.
 */
export function messageTokenCounts(
  messages: readonly ChatMessage[],
  tokenizer: Tokenizer,
  template: HarmonyPromptOptions = {},
): MessageTokenCounts {
  const costs = messageCosts(messages, tokenizer, template);
  const counts = new Array<number>(messages.length);
  let total = costs.fixed;
  for (let i = 0; i < messages.length; i++) total += counts[i] = costs.at(i);
  return { fixed: costs.fixed, messages: counts, total };
}

/**
 * Counts the prompt tokens of a conversation as the server sees it: rendered
 * with the gpt-oss chat template (its own system message, the caller's system
 * prompt as developer instructions, tools as a TypeScript namespace, each
 * message framed by special tokens, the generation prompt at the end).
 *
 * @param messages The conversation.
 * @param options The tokenizer (the built-in estimator by default; pass
 * `gptOssTokenizer` from `@gptoss/client/tokenizer` for exact counts), tools,
 * reasoning effort, date and identity.
 * @returns The prompt's tokens.
 * @throws {InvalidMessageError} For a malformed message.
 * @throws {ConfigError} For an unknown option or a wrong value.
 *
 * @example Counting a conversation's prompt tokens, estimated and exactly
 * ```ts
 * import { countMessageTokens } from "@gptoss/client";
 * import { gptOssTokenizer } from "@gptoss/client/tokenizer";
 * import assert from "node:assert/strict";
 * const messages = [
 *   { role: "system" as const, content: "Be brief." },
 *   { role: "user" as const, content: "What is 2 + 2?" },
 * ];
 * assert.equal(countMessageTokens(messages, { tokenizer: gptOssTokenizer }), 85);
 * assert.equal(countMessageTokens(messages), 92); // the estimate errs on the safe side
 * ```
 */
export function countMessageTokens(
  messages: readonly ChatMessage[],
  options: Pick<
    ContextOptions,
    | "tokenizer"
    | "tools"
    | "reasoningEffort"
    | "currentDate"
    | "modelIdentity"
    | "renderer"
  > = {},
): number {
  assertValidMessages(messages, true);
  const { tokenizer, template } = resolveCountingOptions(options);
  return messageTokenCounts(messages, tokenizer, template).total;
}
