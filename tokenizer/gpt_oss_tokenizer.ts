/**
 * GPT-OSS's exact tokenizer, o200k_harmony, on top of the gpt-tokenizer
 * package's o200k ranks.
 *
 * gpt-tokenizer 4.0.0 recognises only the first special token of a text when
 * special tokens are allowed, so special tokens are split out here and the
 * text between them is encoded as ordinary text. A special token in a
 * rendered prompt is one token, as llama.cpp's server counts it (it tokenizes
 * prompts with special-token parsing on).
 *
 * @module
 */

import {
  countTokens,
  decode as decodeOrdinary,
  encode as encodeOrdinary,
} from "npm:gpt-tokenizer@^4.0.0/encoding/o200k_harmony";
import type { Tokenizer } from "../src/context/tokenizer.ts";
import { ConfigError } from "../src/errors/mod.ts";
import { forEachSpecialSplit } from "../src/harmony/special_tokens.ts";

const ORDINARY = { disallowedSpecial: new Set<string>() };
/** The highest id of o200k_harmony (its last reserved token). */
const MAX_ID = 201087;

/**
 * An exact {@link Tokenizer} that can also encode and decode.
 *
 * @example Encoding and decoding back
 * ```ts
 * import { type ExactTokenizer, gptOssTokenizer } from "@gptoss/client/tokenizer";
 * import assert from "node:assert/strict";
 * const tokenizer: ExactTokenizer = gptOssTokenizer;
 * const ids = tokenizer.encode("Hello, world!");
 * assert.equal(ids.length, 4);
 * assert.equal(tokenizer.decode(ids), "Hello, world!");
 * ```
 */
export interface ExactTokenizer extends Tokenizer {
  /** Always `true`: counts are the model's own. */
  readonly exact: true;
  /** The token ids of `text`; each special token is one id. */
  encode(text: string): number[];
  /** The tokens of `text` with special-token text read as ordinary text. */
  countOrdinary(text: string): number;
  /** The text of token ids. */
  decode(ids: readonly number[]): string;
}

/** @throws {ConfigError} Unless `text` is a string. */
function checkText(text: unknown): void {
  if (typeof text !== "string") {
    throw new ConfigError("text", text, "a string");
  }
}

function count(text: string): number {
  checkText(text);
  let total = 0;
  forEachSpecialSplit(
    text,
    (ordinary) => total += countTokens(ordinary, ORDINARY),
    () => total++,
  );
  return total;
}

function countOrdinary(text: string): number {
  checkText(text);
  return countTokens(text, ORDINARY);
}

function encode(text: string): number[] {
  checkText(text);
  const ids: number[] = [];
  forEachSpecialSplit(
    text,
    (ordinary) => {
      for (const id of encodeOrdinary(ordinary, ORDINARY)) ids.push(id);
    },
    (_token, id) => ids.push(id),
  );
  return ids;
}

function decode(ids: readonly number[]): string {
  if (
    !Array.isArray(ids) ||
    !ids.every((id) => Number.isSafeInteger(id) && id >= 0 && id <= MAX_ID)
  ) {
    throw new ConfigError(
      "ids",
      ids,
      "an array of token ids (whole numbers from 0 to 201087)",
    );
  }
  return decodeOrdinary(ids as number[]);
}

/**
 * GPT-OSS's tokenizer (o200k_harmony): exact counts for gpt-oss-20b and
 * gpt-oss-120b. Pass it wherever a tokenizer is taken; importing it loads
 * about 2.4 MB of token ranks, once.
 *
 * @example Exact context accounting
 * ```ts
 * import { countMessageTokens } from "@gptoss/client";
 * import { gptOssTokenizer } from "@gptoss/client/tokenizer";
 *
 * import assert from "node:assert/strict";
 * assert.deepEqual(gptOssTokenizer.encode("hello world"), [24912, 2375]);
 * assert.equal(gptOssTokenizer.encode("<|start|>").length, 1); // a special token is one token
 * const tokens = countMessageTokens(
 *   [{ role: "user", content: "What is 2 + 2?" }],
 *   { tokenizer: gptOssTokenizer },
 * );
 * assert.equal(tokens, 75);
 * ```
 */
export const gptOssTokenizer: ExactTokenizer = Object.freeze({
  exact: true as const,
  count,
  countOrdinary,
  encode,
  decode,
});
