/**
 * Measures the built-in estimator against GPT-OSS's exact tokenizer and
 * prints the README's table: for each kind of text, the estimate divided by
 * the exact count (below 1 is an undercount).
 *
 * ```sh
 * deno run --allow-read bench/estimator/report.ts
 * ```
 *
 * @module
 */

import { estimateTokens } from "../../src/context/estimate.ts";
import { gptOssTokenizer } from "../../tokenizer/mod.ts";
import { loadSamples, type Sample } from "./samples.ts";

/** Estimate over exact count, per kind of text. */
export interface KindReport {
  kind: string;
  samples: number;
  lowest: number;
  mean: number;
  highest: number;
  /** Total estimate over total exact count. */
  overall: number;
}

/**
 * @param samples The texts to measure.
 * @returns One report per kind, in alphabetical order.
 */
export function measure(samples: readonly Sample[]): KindReport[] {
  const byKind = new Map<
    string,
    { ratios: number[]; estimated: number; exact: number }
  >();
  for (const { kind, text } of samples) {
    const exact = gptOssTokenizer.count(text);
    const estimated = estimateTokens(text);
    const entry = byKind.get(kind) ?? { ratios: [], estimated: 0, exact: 0 };
    entry.ratios.push(estimated / exact);
    entry.estimated += estimated;
    entry.exact += exact;
    byKind.set(kind, entry);
  }
  return [...byKind].sort(([a], [b]) => a.localeCompare(b)).map((
    [kind, { ratios, estimated, exact }],
  ) => ({
    kind,
    samples: ratios.length,
    lowest: Math.min(...ratios),
    mean: ratios.reduce((s, r) => s + r, 0) / ratios.length,
    highest: Math.max(...ratios),
    overall: estimated / exact,
  }));
}

function printTable(reports: KindReport[]): void {
  const f = (x: number) => x.toFixed(2);
  console.log("| Text | Samples | Lowest | Mean | Highest | Overall |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of reports) {
    console.log(
      `| ${r.kind} | ${r.samples} | ${f(r.lowest)} | ${f(r.mean)} | ${
        f(r.highest)
      } | ${f(r.overall)} |`,
    );
  }
}

if (import.meta.main) {
  const samples = await loadSamples(1500);
  console.log("Calibration texts (the weights were fitted to these):\n");
  printTable(measure(samples.filter((s) => !s.heldOut)));
  console.log("\nHeld-out texts (never used to fit):\n");
  printTable(measure(samples.filter((s) => s.heldOut)));
  const short = (await loadSamples(400, false)).map(({ text }) =>
    estimateTokens(text) / gptOssTokenizer.count(text)
  );
  const under = short.filter((r) => r < 0.98).length;
  console.log(
    `\n400-character windows: ${short.length}, lowest ${
      Math.min(...short).toFixed(2)
    }, ${under} below 0.98.`,
  );
}
