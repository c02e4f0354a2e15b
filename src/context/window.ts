/**
 * The context window and what a conversation must fit into it: the window's
 * size, the tokens reserved for the answer, the tokenizer, and what the
 * template adds. {@link ContextOptions} is the one options shape of every
 * context utility; it is checked here, once, with the window rule
 * (`maxTokens` below `maxContextSize`).
 *
 * @module
 */

import {
  checkBoolean,
  checkKnownKeys,
  checkPositiveInteger,
  type KeyRegistry,
} from "../checks.ts";
import { ConfigError } from "../errors/mod.ts";
import {
  harmonyOptions,
  type HarmonyPromptOptions,
} from "../harmony/prompt.ts";
import { estimatingTokenizer } from "./estimate.ts";
import type { Tokenizer } from "./tokenizer.ts";

/** 8192 tokens, 2048 of them for the answer. */
export const DEFAULT_WINDOW: { maxContextSize: number; maxTokens: number } =
  Object.freeze({ maxContextSize: 8192, maxTokens: 2048 });

/**
 * The options of the context utilities (`validateContext`,
 * `truncateMessages`, `countMessageTokens`): the window, the tokenizer, what
 * the template adds, and what trimming may do.
 *
 * @example Trimming to a small window, keeping the task
 * ```ts
 * import { type ContextOptions, truncateMessages } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const options: ContextOptions = { maxContextSize: 1024, maxTokens: 256, keepFirstUserMessage: true };
 * const history = [
 *   { role: "user" as const, content: "Task: summarise each chapter." },
 *   ...Array.from({ length: 40 }, (_, i) => ({ role: "user" as const, content: `Chapter ${i}. ${"Text. ".repeat(40)}` })),
 * ];
 * const { kept } = truncateMessages(history, options);
 * assert.equal(kept[0].content, "Task: summarise each chapter.");
 * ```
 */
export interface ContextOptions extends HarmonyPromptOptions {
  /** The model's context window in tokens. Default 8192. */
  maxContextSize?: number;
  /** The tokens reserved for the answer. Default 2048. */
  maxTokens?: number;
  /** What counts tokens; the built-in estimator by default. */
  tokenizer?: Tokenizer;
  /** When trimming, keep the first user message (the task) too. Default `false`. */
  keepFirstUserMessage?: boolean;
  /**
   * When what must be kept does not fit, shorten the largest such message
   * (its head and tail kept, a marker in the middle) before giving up with
   * a `ContextSizeError`. Default `true`.
   */
  shortenOversized?: boolean;
}

const CONTEXT_KEYS: KeyRegistry<ContextOptions> = {
  maxContextSize: true,
  maxTokens: true,
  tokenizer: true,
  tools: true,
  reasoningEffort: true,
  currentDate: true,
  modelIdentity: true,
  renderer: true,
  keepFirstUserMessage: true,
  shortenOversized: true,
};

/** The window's numbers, checked. */
export interface ContextWindow {
  maxContextSize: number;
  maxTokens: number;
  /** The tokens the prompt may use: `maxContextSize - maxTokens`. */
  budget: number;
}

/** {@link ContextOptions} checked, with defaults. */
export interface ContextSettings {
  window: ContextWindow;
  tokenizer: Tokenizer;
  template: HarmonyPromptOptions;
  keepFirstUserMessage: boolean;
  shortenOversized: boolean;
}

/**
 * The window rule, in one place: the answer's tokens must leave room for a prompt.
 *
 * @returns The window with its prompt budget.
 * @throws {ConfigError} When `maxTokens >= maxContextSize`.
 */
export function contextWindow(
  maxContextSize: number,
  maxTokens: number,
  field = "maxTokens",
): ContextWindow {
  if (maxTokens >= maxContextSize) {
    throw new ConfigError(
      field,
      maxTokens,
      `a number below maxContextSize (${maxContextSize}), leaving room for the prompt`,
    );
  }
  return { maxContextSize, maxTokens, budget: maxContextSize - maxTokens };
}

/** @throws {ConfigError} Unless `value` has a `count` method. */
export function checkTokenizer(field: string, value: unknown): Tokenizer {
  if (
    value === null || typeof value !== "object" ||
    typeof (value as Tokenizer).count !== "function"
  ) {
    throw new ConfigError(field, value, "an object with a count(text) method");
  }
  return value as Tokenizer;
}

/** The options that say how a conversation is counted: the tokenizer and what the template adds. */
export type CountingOptions = Pick<
  ContextOptions,
  | "tokenizer"
  | "tools"
  | "reasoningEffort"
  | "currentDate"
  | "modelIdentity"
  | "renderer"
>;

const COUNTING_KEYS: KeyRegistry<CountingOptions> = {
  tokenizer: true,
  tools: true,
  reasoningEffort: true,
  currentDate: true,
  modelIdentity: true,
  renderer: true,
};

/**
 * @param options The caller's counting options.
 * @returns The tokenizer and the template's options, checked.
 * @throws {ConfigError} For an unknown key or a wrong value.
 */
export function resolveCountingOptions(
  options: unknown,
  known: KeyRegistry<object> = COUNTING_KEYS,
): Pick<ContextSettings, "tokenizer" | "template"> {
  checkKnownKeys("options", options, known);
  const o = (options ?? {}) as ContextOptions;
  const template = harmonyOptions(o);
  return {
    tokenizer: o.tokenizer === undefined
      ? estimatingTokenizer
      : checkTokenizer("tokenizer", o.tokenizer),
    template,
  };
}

/**
 * @param options The caller's options.
 * @returns The options checked, with defaults.
 * @throws {ConfigError} For an unknown key, a wrong value, or a window that
 * leaves no room for a prompt.
 */
export function resolveContextOptions(options: unknown): ContextSettings {
  const counting = resolveCountingOptions(options, CONTEXT_KEYS);
  const o = (options ?? {}) as ContextOptions;
  return {
    ...counting,
    window: contextWindow(
      checkPositiveInteger(
        "maxContextSize",
        o.maxContextSize ?? DEFAULT_WINDOW.maxContextSize,
      ),
      checkPositiveInteger(
        "maxTokens",
        o.maxTokens ?? DEFAULT_WINDOW.maxTokens,
      ),
    ),
    keepFirstUserMessage: o.keepFirstUserMessage === undefined
      ? false
      : checkBoolean("keepFirstUserMessage", o.keepFirstUserMessage),
    shortenOversized: o.shortenOversized === undefined
      ? true
      : checkBoolean("shortenOversized", o.shortenOversized),
  };
}
