/**
 * Counts the tokens of a conversation as the server sees it: rendered with the
 * gpt-oss chat template, each special token one token, the rest counted by the
 * tokenizer (exact with `@gptoss/client/tokenizer`, estimated otherwise).
 *
 * @module
 */

import type { ChatMessage } from "../types.ts";
import { assertValidMessages } from "../wire/messages.ts";
import { forEachSpecialSplit } from "../harmony/special_tokens.ts";
import {
  DEFAULT_SYSTEM_MESSAGE_TOKENS,
  harmonyFixedParts,
  type HarmonyPromptOptions,
  isHarmonyRenderer,
} from "../harmony/prompt.ts";
import type { Piece } from "../harmony/encoding.ts";
import { harmonyPathPieces } from "../harmony/harmony_path.ts";
import { HarmonyWalk } from "../harmony/walk.ts";
import type { Tokenizer } from "./tokenizer.ts";
import { type ContextOptions, resolveCountingOptions } from "./window.ts";

/**
 * The tokens of rendered harmony text: one per special token, and the
 * tokenizer's count of the text between them.
 *
 * @param text Text with special tokens written out, such as a rendered prompt.
 * @param tokenizer What counts the ordinary text.
 * @returns Its tokens.
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
 * @param tokenizer What counts the text.
 * @param template What the template adds.
 * @returns The fixed tokens, each message's tokens, and the total.
 */
export function messageTokenCounts(
  messages: readonly ChatMessage[],
  tokenizer: Tokenizer,
  template: HarmonyPromptOptions = {},
): MessageTokenCounts {
  if (isHarmonyRenderer(template.renderer)) {
    return harmonyPathCounts(messages, tokenizer, template);
  }
  const parts = harmonyFixedParts(messages, template);
  // The template's default system message has a known count; estimating
  // its fixed text would only add error.
  const system = parts.defaultSystem && !tokenizer.exact
    ? DEFAULT_SYSTEM_MESSAGE_TOKENS[
      template.tools?.length ? "withTools" : "plain"
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

/**
 * The tokens of rendered pieces, as openai-harmony encodes them: one per
 * special token, each text on its own and as ordinary text.
 */
export function countPieces(
  pieces: readonly Piece[],
  tokenizer: Tokenizer,
): number {
  const count = tokenizer.countOrdinary ?? tokenizer.count;
  let total = 0;
  for (const piece of pieces) {
    if ("special" in piece) total++;
    else if (piece.text) total += count(piece.text);
  }
  return total;
}

/** {@link messageTokenCounts} on the harmony path (vLLM): openai-harmony's pieces. */
function harmonyPathCounts(
  messages: readonly ChatMessage[],
  tokenizer: Tokenizer,
  template: HarmonyPromptOptions,
): MessageTokenCounts {
  const { head, messages: parts, footer } = harmonyPathPieces(
    messages,
    template,
  );
  // The system message is the template's, text for text: its known count
  // serves here too when estimating.
  const [system, ...rest] = splitFirstMessage(head);
  const systemTokens = template.modelIdentity === undefined && !tokenizer.exact
    ? DEFAULT_SYSTEM_MESSAGE_TOKENS[
      template.tools?.length ? "withTools" : "plain"
    ]
    : countPieces(system, tokenizer);
  const fixed = systemTokens + countPieces(rest.flat(), tokenizer) +
    countPieces(footer, tokenizer);
  const counts = parts.map((p) => countPieces(p, tokenizer));
  return {
    fixed,
    messages: counts,
    total: fixed + counts.reduce((a, b) => a + b, 0),
  };
}

/** The pieces of the first message, and the rest. */
function splitFirstMessage(pieces: Piece[]): [Piece[], Piece[]] {
  const end = pieces.findIndex((p) =>
    "special" in p && (p.special === "<|end|>" || p.special === "<|call|>")
  );
  return [pieces.slice(0, end + 1), pieces.slice(end + 1)];
}
