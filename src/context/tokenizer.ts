/**
 * What the context utilities count tokens with.
 *
 * @module
 */

/**
 * Counts the tokens of a text. The built-in estimator needs no dependency;
 * an exact GPT-OSS tokenizer can be plugged in through the same interface.
 *
 * @example A tokenizer that counts characters (too coarse for real use)
 * ```ts
 * import type { Tokenizer } from "@gptoss/client";
 * const perChar: Tokenizer = { count: (text) => text.length };
 * ```
 */
export interface Tokenizer {
  /** The number of tokens in `text`. */
  count(text: string): number;
  /** The token ids of `text`, when the tokenizer is exact. */
  encode?(text: string): number[];
  /**
   * The tokens of `text` read as ordinary text, special-token text such as
   * `<|end|>` included, as openai-harmony encodes message text (vLLM).
   * {@link Tokenizer.count} serves where it is missing.
   */
  countOrdinary?(text: string): number;
  /**
   * `true` when counts are the model's own (the exact o200k_harmony
   * tokenizer), so results can say they are exact rather than estimated.
   */
  readonly exact?: boolean;
}
