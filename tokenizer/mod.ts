/**
 * GPT-OSS's exact tokenizer (o200k_harmony), kept out of the core so that
 * only those who import it pay for its 2.4 MB of token ranks. It is built on
 * the gpt-tokenizer npm package.
 *
 * @example Giving a client exact counts
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { gptOssTokenizer } from "@gptoss/client/tokenizer";
 * import assert from "node:assert/strict";
 *
 * const client = new GptOssClient({
 *   baseUrl: "http://localhost:8000/v1",
 *   tokenizer: gptOssTokenizer,
 * });
 * const count = await client.countTokens([{ role: "user", content: "Hi" }], { local: true });
 * assert.deepEqual(count, { promptTokens: 68, source: "tokenizer", exact: true });
 * ```
 *
 * @module
 */

export { type ExactTokenizer, gptOssTokenizer } from "./gpt_oss_tokenizer.ts";
export { HARMONY_SPECIAL_TOKENS } from "../src/harmony/special_tokens.ts";
