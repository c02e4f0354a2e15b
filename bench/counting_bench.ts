/**
 * Counting an ~8,000-token conversation: the built-in estimator, and the
 * exact tokenizer warm on text it has not seen; and the exact tokenizer's
 * cold load in a fresh process, over a bare `deno eval`.
 *
 * ```sh
 * deno run --allow-read --allow-run --allow-env bench/counting_bench.ts
 * ```
 *
 * @module
 */

import {
  type ChatMessage,
  countMessageTokens,
  estimatingTokenizer,
  type Tokenizer,
} from "../mod.ts";
import { gptOssTokenizer } from "../tokenizer/mod.ts";
import { loadSamples } from "./estimator/samples.ts";

// Counts are remembered per message object and tokenizer object: a new
// tokenizer object for each count keeps these figures the cost of counting.
const uncounted = (t: Tokenizer): Tokenizer => ({
  count: (text) => t.count(text),
  exact: t.exact,
});

// Distinct conversations of about 8,000 tokens, so that no exact count meets
// text it has counted before.
const texts = (await loadSamples(1500, false)).map((s) => s.text);
const conversations: ChatMessage[][] = [];
let next = 0;
for (let c = 0; c < 21 && next < texts.length; c++) {
  const messages: ChatMessage[] = [{
    role: "system",
    content: "You are a careful assistant.",
  }];
  while (
    countMessageTokens(messages, { tokenizer: uncounted(gptOssTokenizer) }) <
      8000 &&
    next < texts.length
  ) {
    messages.push({
      role: messages.length % 2 ? "user" : "assistant",
      content: texts[next++],
    });
  }
  conversations.push(messages);
}
const [warmup, ...fresh] = conversations;
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

countMessageTokens(warmup, { tokenizer: uncounted(gptOssTokenizer) });
const exact = fresh.map((messages) => {
  const started = performance.now();
  countMessageTokens(messages, { tokenizer: uncounted(gptOssTokenizer) });
  return performance.now() - started;
});

for (let i = 0; i < 50; i++) {
  countMessageTokens(warmup, { tokenizer: uncounted(estimatingTokenizer) });
}
const estimated = fresh.map((messages) => {
  const started = performance.now();
  for (let i = 0; i < 20; i++) {
    countMessageTokens(messages, { tokenizer: uncounted(estimatingTokenizer) });
  }
  return (performance.now() - started) / 20;
});

// The same conversation again, with the same tokenizer object: remembered.
const remembered = fresh.map((messages) => {
  countMessageTokens(messages, { tokenizer: gptOssTokenizer });
  const started = performance.now();
  countMessageTokens(messages, { tokenizer: gptOssTokenizer });
  return performance.now() - started;
});

async function evalMs(code: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const { success } = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "null",
    }).output();
    if (!success) throw new Error(code);
    times.push(performance.now() - started);
  }
  return median(times);
}
const tokenizerUrl = new URL("../tokenizer/mod.ts", import.meta.url).href;
const load = await evalMs(
  `const { gptOssTokenizer } = await import(${
    JSON.stringify(tokenizerUrl)
  }); gptOssTokenizer.count("hello");`,
) -
  await evalMs(`"hello".length;`);

const tokens = median(
  fresh.map((m) => countMessageTokens(m, { tokenizer: gptOssTokenizer })),
);
console.log(
  `${fresh.length} conversations of about ${tokens} tokens (${
    fresh[0].length
  } messages each).\n`,
);
console.log("| Counting | Median | Min–max |");
console.log("| --- | ---: | ---: |");
const row = (name: string, xs: number[]) =>
  console.log(
    `| ${name} | ${median(xs).toFixed(3)} ms | ${Math.min(...xs).toFixed(3)}–${
      Math.max(...xs).toFixed(3)
    } ms |`,
  );
row("Estimator (warm)", estimated);
row("Exact tokenizer, warm, unseen text", exact);
row("Exact tokenizer, the same conversation again (remembered)", remembered);
console.log(
  `| Exact tokenizer, cold load in a fresh process | ${load.toFixed(0)} ms | |`,
);
