/**
 * The tokens of a rendered prompt, or of part of one: special tokens count
 * one each, the tokenizer counts the text between them.
 *
 * @module
 */

import type { Piece } from "../harmony/encoding.ts";
import { forEachSpecialSplit } from "../harmony/special_tokens.ts";
import type { Tokenizer } from "./tokenizer.ts";

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

/**
 * The tokens of rendered pieces, as openai-harmony encodes them: one per
 * special token, each text on its own and as ordinary text.
 *
 * @param pieces Special tokens and texts, as the harmony path renders them.
 * @param tokenizer What counts the texts.
 * @returns Their tokens.
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
