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
import { contentText } from "../messages.ts";
import {
  DEFAULT_SYSTEM_MESSAGE_TOKENS,
  harmonyFixedParts,
  type HarmonyPromptOptions,
  HarmonyWalk,
} from "./harmony_prompt.ts";
import type { Tokenizer } from "./tokenizer.ts";

/**
 * Options for {@link countMessageTokens}: the tokenizer, and what the
 * template adds (tools, reasoning effort, date, identity).
 *
 * @example
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
 * @example
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
 * @param options The tokenizer and what the template adds.
 * @returns The fixed tokens, each message's tokens, and the total.
 *
 * @example
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
  const framing = new PlainFraming(tokenizer);
  const fixed = system +
    (parts.developer ? countRenderedTokens(parts.developer, tokenizer) : 0) +
    framing.footer();
  let total = fixed;
  // The walk that renders tool calls and results is set up only when one comes.
  let walk: HarmonyWalk | undefined;
  const counts = new Array<number>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    let n = framing.count(messages[i], i);
    if (n === undefined) {
      if (walk === undefined) {
        walk = new HarmonyWalk(messages);
        for (let j = 0; j < i; j++) walk.skip(j);
      }
      const part = walk.render(i);
      n = part ? countRenderedTokens(part, tokenizer) : 0;
    } else walk?.skip(i);
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
 * @example
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

/**
 * The tokens of the common messages without rendering them: a user message,
 * an answer, or a later system message is its text between fixed special
 * tokens and words, so its count is theirs plus the text's. Anything else
 * (tool calls, tool results, text that holds special tokens) is rendered.
 */
class PlainFraming {
  readonly #tokenizer: Tokenizer;
  #user = -1;
  #answer = -1;
  #developer = -1;

  constructor(tokenizer: Tokenizer) {
    this.#tokenizer = tokenizer;
  }

  /** `<|start|>assistant`, which primes the reply. */
  footer(): number {
    return 1 + this.#tokenizer.count("assistant");
  }

  /** @returns The message's tokens, or `undefined` when it must be rendered. */
  count(message: ChatMessage, index: number): number | undefined {
    const role = message.role;
    if (index === 0 && (role === "system" || role === "developer")) return 0;
    if (role === "assistant" ? message.tool_calls?.length : role === "tool") {
      return undefined;
    }
    const text = contentText(message.content);
    if (text.includes("<|")) return undefined;
    const t = this.#tokenizer;
    switch (role) {
      case "user":
        // <|start|>user<|message|>{text}<|end|>
        if (this.#user < 0) this.#user = 3 + t.count("user");
        return this.#user + t.count(text);
      case "assistant":
        // <|start|>assistant<|channel|>final<|message|>{text}<|end|>
        if (this.#answer < 0) {
          this.#answer = 4 + t.count("assistant") + t.count("final");
        }
        return this.#answer + t.count(text);
      case "system":
      case "developer":
        // <|start|>developer<|message|># Instructions\n\n{text}\n\n<|end|>,
        // and nothing at all for an empty one.
        if (text === "") return 0;
        if (this.#developer < 0) this.#developer = 3 + t.count("developer");
        return this.#developer + t.count(`# Instructions\n\n${text}\n\n`);
      default:
        return undefined;
    }
  }
}
