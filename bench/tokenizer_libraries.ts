/**
 * Compares the two npm packages that ship o200k ranks, gpt-tokenizer and
 * js-tiktoken, on what matters to `@gptoss/client/tokenizer`: time to load,
 * speed of counting, agreement, and size. All ratios come from one run on one
 * machine.
 *
 * ```sh
 * deno run --allow-read --allow-run --allow-env bench/tokenizer_libraries.ts
 * ```
 *
 * @module
 */

import { countTokens } from "npm:gpt-tokenizer@^4.0.0/encoding/o200k_harmony";
import { Tiktoken } from "npm:js-tiktoken@^1.0.21/lite";
import o200kBase from "npm:js-tiktoken@^1.0.21/ranks/o200k_base";
import { loadSamples } from "./estimator/samples.ts";

const LOADERS: Record<string, string> = {
  "gpt-tokenizer":
    `import { countTokens } from "npm:gpt-tokenizer@^4.0.0/encoding/o200k_harmony"; countTokens("hello");`,
  "js-tiktoken":
    `import { Tiktoken } from "npm:js-tiktoken@^1.0.21/lite"; import r from "npm:js-tiktoken@^1.0.21/ranks/o200k_base"; new Tiktoken(r).encode("hello");`,
  "nothing": `"hello".length;`,
};

async function loadMilliseconds(code: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const { success } = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "null",
      stderr: "inherit",
    }).output();
    if (!success) throw new Error(`failed: ${code}`);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2];
}

const texts = (await loadSamples(1500)).map((s) => s.text);
const characters = texts.reduce((n, t) => n + t.length, 0);
const tiktoken = new Tiktoken(o200kBase);
const counters: Record<string, (text: string) => number> = {
  "gpt-tokenizer": (t) => countTokens(t, { disallowedSpecial: new Set() }),
  "js-tiktoken": (t) => tiktoken.encode(t, [], []).length,
};

let disagreements = 0;
for (const t of texts) {
  if (counters["gpt-tokenizer"](t) !== counters["js-tiktoken"](t)) {
    disagreements++;
  }
}

function charactersPerMillisecond(count: (t: string) => number): number {
  for (const t of texts) count(t); // warm up
  const start = performance.now();
  for (let round = 0; round < 3; round++) for (const t of texts) count(t);
  return (3 * characters) / (performance.now() - start);
}

const baseline = await loadMilliseconds(LOADERS.nothing);
console.log(
  `${texts.length} texts, ${characters} characters; counts differ on ${disagreements}.\n`,
);
console.log(
  "| Package | Load (ms, over a bare deno eval) | Counting (chars/ms) |",
);
console.log("| --- | ---: | ---: |");
for (const name of ["gpt-tokenizer", "js-tiktoken"]) {
  const load = (await loadMilliseconds(LOADERS[name])) - baseline;
  const speed = charactersPerMillisecond(counters[name]);
  console.log(`| ${name} | ${load.toFixed(0)} | ${speed.toFixed(0)} |`);
}
