/**
 * Truncating histories of 1,000, 10,000 and 100,000 messages to the default
 * 8192-token window, with the built-in estimator and with the exact
 * tokenizer. Linear time shows as about ten times the time for ten times the
 * messages.
 *
 * ```sh
 * deno bench --allow-read bench/truncate_bench.ts
 * ```
 *
 * @module
 */

import { type ChatMessage, truncateMessages } from "../mod.ts";
import { gptOssTokenizer } from "../tokenizer/mod.ts";

function history(size: number): ChatMessage[] {
  const messages: ChatMessage[] = [{
    role: "system",
    content: "You are a helpful assistant.",
  }];
  for (let i = 1; i < size; i++) {
    if (i % 10 === 3) {
      messages.push({
        role: "assistant",
        content: null,
        tool_calls: [{
          id: `c${i}`,
          type: "function",
          function: { name: "lookup", arguments: `{"query":"item ${i}"}` },
        }],
      });
      messages.push({
        role: "tool",
        tool_call_id: `c${i}`,
        content: `Result ${i}: 42 units in stock.`,
      });
      i++;
    } else if (i % 2) {
      messages.push({
        role: "user",
        content:
          `Question ${i}: how many units of item ${i} are left, and where?`,
      });
    } else {
      messages.push({
        role: "assistant",
        content: `Answer ${i}: there are ${i % 97} units left in warehouse ${
          i % 7
        }.`,
      });
    }
  }
  messages.push({ role: "user", content: "Summarise." });
  return messages;
}

const sizes = [1_000, 10_000, 100_000];
const histories = new Map(sizes.map((n) => [n, history(n)]));
const currentDate = "2025-08-05";

for (const n of sizes) {
  Deno.bench({
    name: `estimator, ${n} messages`,
    group: "estimator",
    baseline: n === 1_000,
    fn: () => {
      truncateMessages(histories.get(n)!, { currentDate });
    },
  });
}
for (const n of sizes) {
  Deno.bench({
    name: `exact tokenizer, ${n} messages`,
    group: "exact",
    baseline: n === 1_000,
    fn: () => {
      truncateMessages(histories.get(n)!, {
        currentDate,
        tokenizer: gptOssTokenizer,
      });
    },
  });
}
