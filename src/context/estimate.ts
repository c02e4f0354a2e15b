/**
 * The built-in token estimator: no dependency, one pass over the text, and
 * on the safe side (it would rather count too many tokens than too few, since
 * too few means a request the server rejects).
 *
 * @module
 */

import type { Tokenizer } from "./tokenizer.ts";

// Weights in tokens per UTF-16 code unit, by kind of character. o200k-style
// tokenizers merge an English word with its leading space into about one
// token (≈4 letters), split numbers into groups of up to three digits, give
// most punctuation a token of its own or share it with a neighbour, and spend
// one or more tokens per CJK character or emoji.
const LETTER = 0.25;
const DIGIT = 0.34;
const SPACE = 0.08;
const PUNCTUATION = 0.5;
const OTHER_ALPHABET = 0.5; // Latin accents, Greek, Cyrillic, Arabic, Hebrew, Indic…
const WIDE = 1; // CJK, kana, hangul, and each half of a surrogate pair (emoji)

/**
 * Estimates the number of tokens GPT-OSS's tokenizer makes of a text.
 *
 * @param text Any text.
 * @returns An estimate, at least 1 for a non-empty text and 0 for an empty one.
 *
 * @example
 * ```ts
 * import { estimateTokens } from "@gptoss/client";
 * console.log(estimateTokens("Hello, world!")); // a small number, about 4
 * ```
 */
export function estimateTokens(text: string): number {
  const length = text.length;
  if (length === 0) return 0;
  let total = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) total += LETTER;
      else if (c >= 48 && c <= 57) total += DIGIT;
      else if (c === 32 || c === 9 || c === 10 || c === 13) total += SPACE;
      else total += PUNCTUATION;
    } else if (c < 0x3000) total += OTHER_ALPHABET;
    else total += WIDE;
  }
  return Math.max(1, Math.ceil(total));
}

/**
 * The built-in estimator as a {@link Tokenizer}, the default everywhere a
 * tokenizer can be passed.
 *
 * @example
 * ```ts
 * import { estimatingTokenizer } from "@gptoss/client";
 * console.log(estimatingTokenizer.count("one two three"));
 * ```
 */
export const estimatingTokenizer: Tokenizer = Object.freeze({
  count: estimateTokens,
});
