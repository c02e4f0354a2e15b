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
 * the cost); 64 texts of at most 1 MiB in all are kept per tokenizer, the
 * oldest forgotten first.
 *
 * @module
 */

import type { Piece } from "../harmony/encoding.ts";
import { countPieces, countRenderedTokens } from "./rendered_tokens.ts";
import type { Tokenizer } from "./tokenizer.ts";

/** How many fixed texts are remembered per tokenizer, and how many characters of them. */
const KEPT = 64;
const KEPT_CHARACTERS = 1 << 20;

/** One tokenizer's remembered counts, oldest first, and the length of their keys. */
interface Known {
  counts: Map<string, number>;
  characters: number;
}

const known = new WeakMap<Tokenizer, Known>();

function remembered(
  tokenizer: Tokenizer,
  key: string,
  count: () => number,
): number {
  let mine = known.get(tokenizer);
  if (!mine) known.set(tokenizer, mine = { counts: new Map(), characters: 0 });
  let n = mine.counts.get(key);
  if (n !== undefined) return n;
  n = count();
  if (key.length > KEPT_CHARACTERS) return n; // too large to keep
  mine.counts.set(key, n);
  mine.characters += key.length;
  // The estimator is one object for the whole process: what it keeps stays.
  while (
    mine.counts.size > KEPT || mine.characters > KEPT_CHARACTERS
  ) {
    const oldest: string = mine.counts.keys().next().value!;
    mine.counts.delete(oldest);
    mine.characters -= oldest.length;
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
