/**
 * The `--stats` line: tokens, the context window used, and speed.
 *
 * @module
 */

import type { ChatCompletion } from "../mod.ts";

/**
 * @param completion The answer, with the client's stats.
 * @param contextSize The context window in tokens, when known.
 * @param discoveryMs The time finding the server and model took, when the
 * command line did it before the request.
 * @returns One line, without a line end.
 */
export function statsLine(
  completion: ChatCompletion,
  contextSize: number | undefined,
  discoveryMs?: number,
): string {
  const usage = completion.usage;
  const stats = completion.stats;
  const prompt = usage?.prompt_tokens ?? completion.truncation?.promptTokens;
  const generated = usage?.completion_tokens ?? stats?.completionTokens;
  const parts: string[] = [];
  parts.push(`prompt ${prompt ?? "?"} tokens`);
  parts.push(
    `completion ${generated ?? "?"} tokens${
      stats?.estimated ? " (estimated)" : ""
    }`,
  );
  if (contextSize && prompt !== undefined && generated !== undefined) {
    const used = prompt + generated;
    parts.push(
      `context ${used} of ${contextSize} (${
        Math.round((used / contextSize) * 100)
      }%)`,
    );
  }
  if (discoveryMs !== undefined) {
    parts.push(`discovery ${(discoveryMs / 1000).toFixed(2)} s`);
  }
  if (stats?.timeToFirstTokenMs !== undefined) {
    parts.push(`first token ${(stats.timeToFirstTokenMs / 1000).toFixed(2)} s`);
  }
  if (stats) parts.push(`${stats.tokensPerSecond.toFixed(1)} tokens/s`);
  return parts.join(" · ");
}
