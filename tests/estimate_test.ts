import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { countMessageTokens, estimatingTokenizer } from "../mod.ts";
import { gptOssTokenizer } from "../tokenizer/mod.ts";
import { loadSamples } from "../bench/estimator/samples.ts";

const estimateTokens = (text: string) => estimatingTokenizer.count(text);

// The calibration corpus (bench/estimator/corpus, sources in SOURCES.md), the
// captured transcripts under tests/fixtures, held-out files the weights were
// never fitted to, and seeded random base64, hex, UUIDs and emoji.
const samples = await loadSamples(1500);

Deno.test("estimatingTokenizer.count() is 0 for empty text and at least 1 otherwise", () => {
  assert.equal(estimateTokens(""), 0);
  assert.ok(estimateTokens("a") >= 1);
  assert.ok(estimateTokens(" ") >= 1);
});

Deno.test("estimatingTokenizer.count() never undercounts a sample by more than 2%", () => {
  const kinds = new Set(samples.map((s) => s.kind));
  for (
    const kind of [
      "English prose",
      "Source code",
      "JSON",
      "Chinese",
      "Japanese",
      "Russian",
      "Emoji",
      "Base64",
      "Hex",
    ]
  ) assert.ok(kinds.has(kind), `no ${kind} samples`);
  const under: string[] = [];
  for (const { name, text } of samples) {
    const exact = gptOssTokenizer.count(text);
    const estimate = estimateTokens(text);
    if (estimate < exact * 0.98) under.push(`${name}: ${estimate} < ${exact}`);
  }
  assert.deepEqual(under, []);
});

Deno.test("estimatingTokenizer.count() overcounts English prose by no more than about 20%", () => {
  for (const heldOut of [false, true]) {
    let estimated = 0;
    let exact = 0;
    for (const s of samples) {
      if (s.kind !== "English prose" || s.heldOut !== heldOut) continue;
      estimated += estimateTokens(s.text);
      exact += gptOssTokenizer.count(s.text);
    }
    assert.ok(exact > 5000, "too little prose to measure");
    const ratio = estimated / exact;
    assert.ok(ratio >= 1 && ratio <= 1.2, `held out ${heldOut}: ${ratio}`);
  }
});

Deno.test("estimatingTokenizer.count() is not fooled by text built to look like English words", () => {
  // Long runs of lower-case letters with no vowels pattern: each one is
  // several tokens, and the estimate must still cover them.
  const text = Array.from(
    { length: 300 },
    (_, i) => "qzxjkvbw".slice(0, 2 + (i % 6)) + "rt".repeat(i % 3),
  ).join(" ");
  assert.ok(estimateTokens(text) >= gptOssTokenizer.count(text) * 0.98);
});

Deno.test("estimatingTokenizer says its counts are not exact", () => {
  assert.equal(estimatingTokenizer.exact, false);
});

Deno.test("the estimate of a whole conversation is never below the exact count (any roles, any text lengths)", async () => {
  const corpus = new URL("../bench/estimator/corpus/", import.meta.url);
  const texts: string[] = [];
  for await (const entry of Deno.readDir(corpus)) {
    if (entry.name.endsWith(".txt")) {
      texts.push(await Deno.readTextFile(new URL(entry.name, corpus)));
    }
  }
  const message = fc.record({
    role: fc.constantFrom("user", "assistant", "system", "tool"),
    text: fc.nat({ max: texts.length - 1 }),
    at: fc.nat(),
    length: fc.oneof(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 120 }),
      fc.integer({ min: 1, max: 1500 }),
    ),
  }).map(({ role, text, at, length }) => {
    const source = texts[text];
    const from = at % Math.max(1, source.length - length);
    const content = source.slice(from, from + length);
    return role === "tool"
      ? { role, content, tool_call_id: "c1" } as const
      : { role, content } as const;
  });
  fc.assert(
    fc.property(
      fc.array(message, { minLength: 1, maxLength: 40 }),
      (messages) => {
        const estimate = countMessageTokens(messages);
        const exact = countMessageTokens(messages, {
          tokenizer: gptOssTokenizer,
        });
        assert.ok(
          estimate >= exact,
          `${estimate} estimated for ${exact} exact`,
        );
      },
    ),
    { numRuns: 300, seed: 3030 },
  );
});
