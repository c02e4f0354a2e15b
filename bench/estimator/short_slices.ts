/**
 * How often the built-in estimator counts fewer tokens than GPT-OSS's exact
 * tokenizer on short pieces of the calibration corpus: 20,000 random slices
 * of up to 12, 120 and 1,500 characters each (a seeded generator: the same
 * slices every run). The weights were fitted on 1,500-character samples
 * (report.ts), where no estimate is below the exact count; shorter pieces
 * are not covered by that fit, and this shows by how much.
 *
 * ```sh
 * deno run --allow-read bench/estimator/short_slices.ts
 * ```
 *
 * @module
 */

import { estimateTokens } from "../../src/context/estimate.ts";
import { gptOssTokenizer } from "../../tokenizer/mod.ts";

const corpus = new URL("./corpus/", import.meta.url);
const texts: { name: string; text: string }[] = [];
for await (const entry of Deno.readDir(corpus)) {
  if (!entry.name.endsWith(".txt")) continue;
  texts.push({
    name: entry.name,
    text: await Deno.readTextFile(new URL(entry.name, corpus)),
  });
}
texts.sort((a, b) => a.name.localeCompare(b.name));

/** xorshift32: the same slices on every run. */
let state = 0x9e3779b9;
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};

console.log(
  "| Slices of up to | Slices | Below the exact count | Most tokens below |",
);
console.log("| ---: | ---: | ---: | ---: |");
for (const longest of [12, 120, 1500]) {
  let below = 0;
  let worst = 0;
  const slices = 20_000;
  for (let i = 0; i < slices; i++) {
    const { text } = texts[Math.floor(random() * texts.length)];
    const length = 1 + Math.floor(random() * longest);
    const from = Math.floor(random() * Math.max(1, text.length - length));
    const slice = text.slice(from, from + length);
    const short = gptOssTokenizer.count(slice) - estimateTokens(slice);
    if (short > 0) below++;
    worst = Math.max(worst, short);
  }
  console.log(
    `| ${longest} characters | ${slices} | ${
      (100 * below / slices).toFixed(1)
    }% | ${worst} |`,
  );
}
