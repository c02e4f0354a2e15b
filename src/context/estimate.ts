/**
 * The built-in token estimator: no dependency, one pass over the text, and
 * calibrated to err on the safe side, since too few tokens means a request
 * the server rejects.
 *
 * It cuts the text into pieces the way o200k's pre-tokenizer does and weighs
 * each kind of piece by how many tokens it takes, with weights fitted against
 * the exact o200k_harmony counts of English prose, source code, JSON, Chinese,
 * Japanese, Korean, Russian, Greek and European-language text, emoji, base64
 * and hex (bench/estimator/, with the measured table in the README). Texts
 * full of accented letters get the heavier weights that non-English words
 * need.
 *
 * @module
 */

import {
  FEATURE_NAMES,
  scanFeatures,
  WORD_FEATURES_START,
} from "./_estimate_features.ts";
import {
  ENGLISH_WORD_WEIGHTS,
  FOREIGN_AT,
  FOREIGN_WORD_WEIGHTS,
  SHARED_WEIGHTS,
} from "./_estimate_weights.ts";
import { ConfigError } from "../errors/mod.ts";
import type { Tokenizer } from "./tokenizer.ts";

// Reused by every call: the scan is synchronous, so no two calls overlap.
const features = new Float64Array(FEATURE_NAMES.length);

/**
 * Estimates the number of tokens GPT-OSS's tokenizer makes of a text. On the
 * calibration texts it is never below the exact count and about 10% above it
 * on English prose.
 *
 * @param text Any text.
 * @returns An estimate, at least 1 for a non-empty text and 0 for an empty one.
 */
export function estimateTokens(text: string): number {
  if (typeof text !== "string") {
    throw new ConfigError("text", text, "a string to count the tokens of");
  }
  if (text.length === 0) return 0;
  const { accented, letters } = scanFeatures(text, features);
  let shared = 0;
  for (let i = 0; i < WORD_FEATURES_START; i++) {
    shared += SHARED_WEIGHTS[i] * features[i];
  }
  let english = 0;
  let foreign = 0;
  for (let i = WORD_FEATURES_START; i < features.length; i++) {
    const count = features[i];
    if (count === 0) continue;
    english += ENGLISH_WORD_WEIGHTS[i - WORD_FEATURES_START] * count;
    foreign += FOREIGN_WORD_WEIGHTS[i - WORD_FEATURES_START] * count;
  }
  const foreignShare = letters === 0
    ? 0
    : Math.min(1, accented / (letters * FOREIGN_AT));
  const total = shared + english + foreignShare * (foreign - english);
  return Math.max(1, Math.ceil(total));
}

/**
 * The built-in token estimator, the default everywhere a tokenizer can be
 * passed: no dependency, one pass over the text, calibrated never to count
 * fewer tokens than GPT-OSS's tokenizer on the calibration texts (about 10%
 * more on English prose).
 *
 * @example Estimating the tokens of a text
 * ```ts
 * import { estimatingTokenizer } from "@gptoss/client";
 * import { gptOssTokenizer } from "@gptoss/client/tokenizer";
 * import assert from "node:assert/strict";
 * assert.equal(estimatingTokenizer.count("Hello, world!"), 5);
 * assert.equal(gptOssTokenizer.count("Hello, world!"), 4); // the exact count
 * ```
 */
export const estimatingTokenizer: Tokenizer = Object.freeze({
  count: estimateTokens,
  exact: false,
});
