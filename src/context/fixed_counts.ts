/**
 * The counts of the parts of a prompt that every request of a conversation
 * sends again: the template's system message, the developer message (the
 * caller's instructions and the tools, rendered) and the generation prompt.
 * Counting them is most of a short request's counting (about 100 µs with
 * the estimator and 280 µs with the exact tokenizer for instructions and
 * ten tools of 4 KB in all), so each tokenizer's counts are remembered by
 * the text counted: whatever changes in the instructions, the tools or the
 * options changes that text and is counted anew, and nothing is mutable
 * behind the key. The text is rendered on every request (about a tenth of
 * the cost); a few dozen texts are kept per tokenizer, the oldest forgotten
 * first.
 *
 * @module
 */

import type { Piece } from "../harmony/encoding.ts";
import { countPieces, countRenderedTokens } from "./rendered_tokens.ts";
import type { Tokenizer } from "./tokenizer.ts";

/** How many fixed texts are remembered per tokenizer. */
const KEPT = 64;

const counts = new WeakMap<Tokenizer, Map<string, number>>();

function remembered(
  tokenizer: Tokenizer,
  key: string,
  count: () => number,
): number {
  let known = counts.get(tokenizer);
  if (!known) counts.set(tokenizer, known = new Map());
  let n = known.get(key);
  if (n === undefined) {
    n = count();
    if (known.size >= KEPT) known.delete(known.keys().next().value!);
    known.set(key, n);
  }
  return n;
}

/**
 * {@link countRenderedTokens}, remembered by the text.
 *
 * @param text Rendered harmony text that every request sends.
 * @param tokenizer What counts it.
 * @returns Its tokens.
 */
export function countFixedText(text: string, tokenizer: Tokenizer): number {
  return remembered(
    tokenizer,
    `r${text}`,
    () => countRenderedTokens(text, tokenizer),
  );
}

/**
 * {@link countPieces}, remembered by the pieces: each text with its length,
 * since the pieces are counted one by one, not joined.
 *
 * @param pieces Special tokens and texts that every request sends.
 * @param tokenizer What counts them.
 * @returns Their tokens.
 */
export function countFixedPieces(
  pieces: readonly Piece[],
  tokenizer: Tokenizer,
): number {
  let key = "p";
  for (const piece of pieces) {
    key += "special" in piece
      ? `s${piece.special.length}:${piece.special}`
      : `t${piece.text.length}:${piece.text}`;
  }
  return remembered(tokenizer, key, () => countPieces(pieces, tokenizer));
}
