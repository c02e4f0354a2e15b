/**
 * GPT-OSS's reasoning effort. Where each server wants it in a request is a
 * server trait (servers.ts).
 *
 * @module
 */

import { checkOneOf } from "../checks.ts";

/**
 * How hard GPT-OSS thinks before it answers ("Reasoning: low|medium|high" in
 * its system message).
 *
 * @example Asking for more reasoning in one request
 * ```ts
 * import type { ReasoningEffort, RequestOptions } from "@gptoss/client";
 * const effort: ReasoningEffort = "high";
 * const options: RequestOptions = { reasoningEffort: effort };
 * ```
 */
export type ReasoningEffort = "low" | "medium" | "high";

/** Every {@link ReasoningEffort}, lowest first. */
export const REASONING_EFFORTS: readonly ReasoningEffort[] = Object.freeze([
  "low",
  "medium",
  "high",
]);

/** @throws {ConfigError} Unless `value` is "low", "medium" or "high". */
export function checkReasoningEffort(
  field: string,
  value: unknown,
): ReasoningEffort {
  return checkOneOf(field, value, REASONING_EFFORTS);
}
