/**
 * Counts the tokens of a conversation as the server sees it: rendered with the
 * gpt-oss chat template, each special token one token, the rest counted by the
 * tokenizer (exact with `@gptoss/client/tokenizer`, estimated otherwise).
 *
 * @module
 */

import type { ChatMessage } from "../types.ts";
import { forEachSpecialSplit } from "../harmony/special_tokens.ts";
import { estimatingTokenizer } from "./estimate.ts";
import {
  DEFAULT_SYSTEM_MESSAGE_TOKENS,
  harmonyFixedParts,
  type HarmonyPromptOptions,
  HarmonyWalk,
} from "../harmony/prompt.ts";
import type { Tokenizer } from "./tokenizer.ts";

/**
 * Options for {@link countMessageTokens}: the tokenizer, and what the
 * template adds (tools, reasoning effort, date, identity).
 *
 * @example Counting with the estimate at high effort
 * ```ts
 * import { estimatingTokenizer, type CountOptions } from "@gptoss/client";
 * const options: CountOptions = { tokenizer: estimatingTokenizer, reasoningEffort: "high" };
 * ```
 */
export interface CountOptions extends HarmonyPromptOptions {
  /** What counts the text; the built-in estimator by default. */
  tokenizer?: Tokenizer;
}

/**
 * The tokens of rendered harmony text: one per special token, and the
 * tokenizer's count of the text between them.
 *
 * @param text Text with special tokens written out, such as a rendered prompt.
 * @param tokenizer What counts the ordinary text.
 * @returns Its tokens.
 *
 * @example Counting a rendered Harmony prompt
 * ```ts
 * import { countRenderedTokens } from "@gptoss/client";
 * import { gptOssTokenizer } from "@gptoss/client/tokenizer";
 * console.log(countRenderedTokens("<|start|>user<|message|>hello world<|end|>", gptOssTokenizer)); // 6
 * ```
 */
export function countRenderedTokens(
  text: string,
  tokenizer: Tokenizer,
): number {
  if (tokenizer.exact) return tokenizer.count(text);
  let total = 0;
  forEachSpecialSplit(
    text,
    (ordinary) => total += tokenizer.count(ordinary),
    () => total++,
  );
  return total;
}

/**
 * A conversation's prompt tokens, split where messages begin.
 *
 * @example Pricing the latest messages by addition
 * ```ts
 * import { messageTokenCounts, type MessageTokenCounts } from "@gptoss/client";
 * const counts: MessageTokenCounts = messageTokenCounts([
 *   { role: "user", content: "Hi" },
 *   { role: "assistant", content: "Hello!" },
 *   { role: "user", content: "Bye" },
 * ]);
 * const lastTwo = counts.fixed + counts.messages[1] + counts.messages[2];
 * console.log(lastTwo < counts.total); // true
 * ```
 */
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
 * @param options The tokenizer and what the template adds.
 * @returns The fixed tokens, each message's tokens, and the total.
 *
 * @example Seeing what each message costs
 * ```ts
 * import { messageTokenCounts } from "@gptoss/client";
 * const counts = messageTokenCounts([
 *   { role: "system", content: "Be brief." },
 *   { role: "user", content: "Hi" },
 * ]);
 * console.log(counts.fixed + counts.messages[1] === counts.total); // true
 * ```
 */
export function messageTokenCounts(
  messages: readonly ChatMessage[],
  options: CountOptions = {},
): MessageTokenCounts {
  const tokenizer = options.tokenizer ?? estimatingTokenizer;
  const parts = harmonyFixedParts(messages, options);
  // The template's default system message has a known count; estimating
  // its fixed text would only add error.
  const system = parts.defaultSystem && !tokenizer.exact
    ? DEFAULT_SYSTEM_MESSAGE_TOKENS[
      options.tools?.length ? "withTools" : "plain"
    ]
    : countRenderedTokens(parts.system, tokenizer);
  const fixed = system +
    (parts.developer ? countRenderedTokens(parts.developer, tokenizer) : 0) +
    1 + tokenizer.count("assistant"); // <|start|>assistant, the footer
  let total = fixed;
  // Each message is counted from the texts between its special tokens,
  // without building its rendering; one whose text holds special-token
  // markup is rendered and split.
  const walk = new HarmonyWalk(messages);
  const count = (text: string) => tokenizer.count(text);
  const counts = new Array<number>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    let n = walk.countPieces(i, count);
    if (n === undefined) {
      const part = walk.render(i);
      n = part ? countRenderedTokens(part, tokenizer) : 0;
    }
    counts[i] = n;
    total += n;
  }
  return { fixed, messages: counts, total };
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
 *
 * @example Counting a conversation's prompt tokens
 * ```ts
 * import { countMessageTokens } from "@gptoss/client";
 * const tokens = countMessageTokens([
 *   { role: "system", content: "Be brief." },
 *   { role: "user", content: "What is 2 + 2?" },
 * ]);
 * console.log(tokens); // 92 estimated; exactly 85 with gptOssTokenizer
 * ```
 */
export function countMessageTokens(
  messages: readonly ChatMessage[],
  options: CountOptions = {},
): number {
  return messageTokenCounts(messages, options).total;
}
