/**
 * Whether a server cut a prompt without saying so, from its own count of
 * the prompt (`usage.prompt_tokens`) against the client's count of what it
 * sent. Ollama does this: a prompt longer than its window loses its oldest
 * messages, then its middle, and the answer carries only a smaller count.
 *
 * Counts differ a little for good reasons, so only a clear shortfall is a
 * cut: with the exact tokenizer, fewer than 90% of the tokens sent less 16
 * (a server's template may differ by a few tokens); with the estimator,
 * which overcounts text of a single kind by up to 1.7 times, fewer than the
 * sent tokens divided by 1.75 and at least 128 fewer. A server cannot have
 * cut a prompt that fits its window: the prompt must be longer than the
 * window the server reported, or than 4096 tokens (the smallest window
 * Ollama gives gpt-oss by default) when it reported none. A missing or zero
 * count says nothing (old Ollama versions left it out on a cache hit).
 *
 * @module
 */

import type { ServerTruncation } from "../types.ts";

/** The prompt as the client counted it before sending it. */
export interface SentPrompt {
  tokens: number;
  /** Whether the count is exact (the exact tokenizer) or estimated. */
  exact: boolean;
}

/** The smallest window a server is assumed to use when it did not say. */
export const SMALLEST_ASSUMED_WINDOW = 4096;

/**
 * @param sent What the client sent.
 * @param serverTokens What the server says it read.
 * @param serverWindow The window the server reported, if it did.
 * @returns The cut, or `undefined` when the server read the prompt whole.
 */
export function serverTruncation(
  sent: SentPrompt,
  serverTokens: number | undefined,
  serverWindow?: number,
): ServerTruncation | undefined {
  if (
    serverTokens === undefined || !Number.isSafeInteger(serverTokens) ||
    serverTokens <= 0
  ) return undefined;
  if (sent.tokens <= (serverWindow ?? SMALLEST_ASSUMED_WINDOW)) {
    return undefined;
  }
  const cut = sent.exact
    ? serverTokens < 0.9 * sent.tokens - 16
    : serverTokens * 1.75 < sent.tokens && sent.tokens - serverTokens >= 128;
  return cut ? { sentTokens: sent.tokens, serverTokens } : undefined;
}
