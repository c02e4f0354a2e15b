/**
 * The special tokens of o200k_harmony, GPT-OSS's encoding: o200k_base plus
 * the harmony format's markers, each a single token.
 *
 * Source: openai/harmony (`HarmonyEncodingName.HARMONY_GPT_OSS`; its
 * tests/test_harmony.py checks `<|start|>` is 200006) and the gpt-oss
 * tokenizer_config.json.
 *
 * @module
 */

/**
 * The named special tokens and their ids. Ids 200013 to 201087 are reserved
 * tokens written `<|reserved_ID|>`.
 *
 * @example Looking up a special token's id
 * ```ts
 * import { HARMONY_SPECIAL_TOKENS } from "@gptoss/client/tokenizer";
 * import assert from "node:assert/strict";
 * assert.equal(HARMONY_SPECIAL_TOKENS["<|start|>"], 200006);
 * assert.equal(HARMONY_SPECIAL_TOKENS["<|call|>"], 200012);
 * ```
 */
export const HARMONY_SPECIAL_TOKENS: Readonly<Record<string, number>> = Object
  .freeze({
    "<|startoftext|>": 199998,
    "<|endoftext|>": 199999,
    "<|reserved_200000|>": 200000,
    "<|reserved_200001|>": 200001,
    "<|return|>": 200002,
    "<|constrain|>": 200003,
    "<|reserved_200004|>": 200004,
    "<|channel|>": 200005,
    "<|start|>": 200006,
    "<|end|>": 200007,
    "<|message|>": 200008,
    "<|reserved_200009|>": 200009,
    "<|reserved_200010|>": 200010,
    "<|reserved_200011|>": 200011,
    "<|call|>": 200012,
    "<|endofprompt|>": 200018,
  });

const FIRST_RESERVED = 200013;
const LAST_RESERVED = 201087;

/** Matches any special token in a text, named or reserved. */
export const SPECIAL_TOKEN_PATTERN =
  /<\|(?:start|end|message|channel|constrain|return|call|endoftext|startoftext|endofprompt|reserved_\d{6})\|>/g;

/**
 * The id of a special token, or `undefined` when the text is not one.
 *
 * @param token A text such as `"<|end|>"`.
 * @returns Its id.
 */
export function specialTokenId(token: string): number | undefined {
  const id = HARMONY_SPECIAL_TOKENS[token];
  if (id !== undefined) return id;
  const reserved = /^<\|reserved_(\d{6})\|>$/.exec(token);
  if (!reserved) return undefined;
  const n = Number(reserved[1]);
  return n >= FIRST_RESERVED && n <= LAST_RESERVED ? n : undefined;
}

/**
 * Calls `onText` for each run of ordinary text and `onSpecial` for each
 * special token, in order.
 *
 * @param text A rendered prompt or any text.
 * @param onText Receives each non-empty run of ordinary text.
 * @param onSpecial Receives each special token and its id.
 */
export function forEachSpecialSplit(
  text: string,
  onText: (text: string) => void,
  onSpecial: (token: string, id: number) => void,
): void {
  let start = 0;
  for (const match of text.matchAll(SPECIAL_TOKEN_PATTERN)) {
    const id = specialTokenId(match[0]);
    if (id === undefined) continue; // a reserved number outside the range
    if (match.index > start) onText(text.slice(start, match.index));
    onSpecial(match[0], id);
    start = match.index + match[0].length;
  }
  if (start < text.length) onText(text.slice(start));
}
