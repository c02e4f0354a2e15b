/**
 * The context window's numbers: how big it is, how much of it the answer
 * reserves, and the checks on both.
 *
 * @module
 */

import {
  checkPositiveInteger,
  checkTokenBudget,
  checkTokenizer,
  DEFAULT_CONFIG,
} from "../options/config.ts";
import { estimatingTokenizer } from "./estimate.ts";
import type { HarmonyPromptOptions } from "../harmony/prompt.ts";
import type { Tokenizer } from "./tokenizer.ts";

/**
 * The context window to fit a conversation into.
 *
 * @example Describing a context window
 * ```ts
 * import type { ContextOptions } from "@gptoss/client";
 * const window: ContextOptions = { maxContextSize: 8192, maxTokens: 2048, reasoningEffort: "high" };
 * ```
 */
export interface ContextOptions extends HarmonyPromptOptions {
  /** The model's context window in tokens. Default 8192. */
  maxContextSize?: number;
  /** The tokens reserved for the answer. Default 2048. */
  maxTokens?: number;
  /** What counts tokens; the built-in estimator by default. */
  tokenizer?: Tokenizer;
}

/** {@link ContextOptions} checked and with defaults. */
export interface ContextWindow {
  maxContextSize: number;
  maxTokens: number;
  tokenizer: Tokenizer;
  /** The tokens the prompt may use: `maxContextSize - maxTokens`. */
  budget: number;
}

/**
 * @param options The caller's window.
 * @returns The window with defaults and its prompt budget.
 * @throws {ConfigError} For a size that is not a positive whole number, or
 * `maxTokens >= maxContextSize`.
 */
export function resolveContextWindow(
  options: ContextOptions = {},
): ContextWindow {
  const maxContextSize = checkPositiveInteger(
    "maxContextSize",
    options.maxContextSize ?? DEFAULT_CONFIG.maxContextSize,
  );
  const maxTokens = checkPositiveInteger(
    "maxTokens",
    options.maxTokens ?? DEFAULT_CONFIG.maxTokens,
  );
  checkTokenBudget(maxTokens, maxContextSize);
  const tokenizer = options.tokenizer === undefined
    ? estimatingTokenizer
    : checkTokenizer(options.tokenizer);
  return {
    maxContextSize,
    maxTokens,
    tokenizer,
    budget: maxContextSize - maxTokens,
  };
}
