/**
 * The client's own measurements of a request: time to first token and
 * generation speed, from the server's token count when it gives one (its
 * usage; llama.cpp's `timings.predicted_n` when an answer, streamed or whole,
 * has timings but no usage), estimated otherwise.
 *
 * @module
 */

import { estimateTokens } from "../context/estimate.ts";
import type { ChatCompletion, CompletionStats, Truncation } from "../types.ts";

/** Timestamps of one request, from `performance.now()`. */
export interface RequestClock {
  startedAt: number;
  firstTokenAt?: number;
  endedAt: number;
}

/**
 * @param clock When the request started, first produced a token, and ended.
 * @param completion The answer.
 * @returns The measurements.
 */
export function computeStats(
  clock: RequestClock,
  completion: ChatCompletion,
): CompletionStats {
  const reported = completion.usage?.completion_tokens ??
    predictedTokens(completion.timings);
  const completionTokens = reported ?? estimateCompletionTokens(completion);
  const totalMs = Math.max(0, clock.endedAt - clock.startedAt);
  const stats: CompletionStats = {
    totalMs: round(totalMs),
    completionTokens,
    estimated: reported === undefined,
    tokensPerSecond: 0,
  };
  if (clock.firstTokenAt !== undefined) {
    stats.timeToFirstTokenMs = round(clock.firstTokenAt - clock.startedAt);
    const generatingMs = clock.endedAt - clock.firstTokenAt;
    // The first token arrived at firstTokenAt: the rate counts the ones after it.
    stats.tokensPerSecond = generatingMs > 0
      ? round((completionTokens - 1) * 1000 / generatingMs)
      : 0;
  } else if (totalMs > 0) {
    stats.tokensPerSecond = round(completionTokens * 1000 / totalMs);
  }
  if (stats.tokensPerSecond < 0) stats.tokensPerSecond = 0;
  return stats;
}

/**
 * llama.cpp's count of the tokens it generated (`predicted_n`, the number its
 * usage reports as `completion_tokens`), when the timings hold one.
 */
function predictedTokens(
  timings: Record<string, number> | undefined,
): number | undefined {
  const n = timings?.predicted_n;
  return Number.isSafeInteger(n) && n! >= 0 ? n : undefined;
}

function estimateCompletionTokens(completion: ChatCompletion): number {
  const message = completion.choices[0]?.message;
  if (!message) return 0;
  let text = (message.content ?? "") + (message.reasoning ?? "");
  for (const call of message.tool_calls ?? []) {
    text += call.function.name + call.function.arguments;
  }
  return estimateTokens(text);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * What the client adds to every completion, streamed or whole, in one place:
 * the truncation it made to send the request, and its own stats.
 *
 * @param completion The completion, changed in place.
 * @param clock When the request started, first produced a token, and ended.
 * @param truncation What the client trimmed to send it, if anything.
 * @returns The same completion.
 */
export function finishCompletion(
  completion: ChatCompletion,
  clock: RequestClock,
  truncation: Truncation | undefined,
): ChatCompletion {
  if (truncation) completion.truncation = truncation;
  completion.stats = computeStats(clock, completion);
  return completion;
}
