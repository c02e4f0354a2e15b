/**
 * Derives the letter pairs that are common inside English words and code
 * identifiers from the calibration corpus, and writes them to
 * src/context/_common_bigrams.ts. A word full of other pairs (random letters,
 * many foreign words) takes more tokens than its length suggests.
 *
 * ```sh
 * deno run --allow-read --allow-write bench/estimator/derive_bigrams.ts
 * ```
 *
 * @module
 */

const corpus = new URL("./corpus/", import.meta.url);
const counts = new Map<string, number>();
let total = 0;
for await (const entry of Deno.readDir(corpus)) {
  if (!/^(prose|code)_/.test(entry.name)) continue;
  const text = (await Deno.readTextFile(new URL(entry.name, corpus)))
    .toLowerCase();
  for (const [word] of text.matchAll(/[a-z]+/g)) {
    for (let i = 1; i < word.length; i++) {
      const pair = word.slice(i - 1, i + 1);
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
      total++;
    }
  }
}
// Pairs that make up at least one in ten thousand: 99.5% of the corpus's pairs.
const common = [...counts].filter(([, n]) => n / total >= 1e-4).map(([p]) => p)
  .sort();
const target = new URL("../../src/context/_common_bigrams.ts", import.meta.url);
await Deno.writeTextFile(
  target,
  `/**
 * Letter pairs common inside English words and code identifiers, derived from
 * the estimator's calibration corpus by bench/estimator/derive_bigrams.ts:
 * do not edit by hand.
 *
 * @module
 */

const PAIRS =
  ${JSON.stringify(common.join(" "))};

/** 1 where \`(a - 97) * 26 + (b - 97)\` is a common pair of lower-case letters. */
export const COMMON_BIGRAMS: Uint8Array = new Uint8Array(26 * 26);
for (const pair of PAIRS.split(" ")) {
  COMMON_BIGRAMS[(pair.charCodeAt(0) - 97) * 26 + pair.charCodeAt(1) - 97] = 1;
}
`,
);
console.log(`${common.length} common pairs -> ${target.pathname}`);
