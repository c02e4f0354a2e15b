/**
 * Fitting histories of 100 to 100,000 messages to the default 8192-token
 * window (`truncateMessages`, `validateContext`, and the client's own
 * fitting), with the built-in estimator and with the exact tokenizer: cold
 * (a tokenizer object that has counted nothing, so every message read is
 * counted) and warm (the same history again, its counts remembered). Cost
 * bounded by the window shows as the same time for 100,000 messages as for
 * 1,000. A list read the first time (a new array each call) shows what
 * reading every role once costs. Then a 200-turn tool-calling agent
 * replayed turn by turn: the client's check and fitting of each request,
 * counts remembered or not, without and with its ten tools' definitions
 * (sent, and counted, with every request).
 *
 * ```sh
 * deno bench --allow-read bench/truncate_bench.ts
 * ```
 *
 * @module
 */

import {
  type ChatMessage,
  estimatingTokenizer,
  type Tokenizer,
  type ToolDefinition,
  truncateMessages,
  validateContext,
} from "../mod.ts";
import { fitToContext } from "../src/context/fit.ts";
import { assertValidHistory } from "../src/context/history_scan.ts";
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

const sizes = [100, 1_000, 10_000, 100_000];
const histories = new Map(sizes.map((n) => [n, history(n)]));
const currentDate = "2025-08-05";
const tokenizers = { estimator: estimatingTokenizer, exact: gptOssTokenizer };
/** A tokenizer that counts like `t` but has counted nothing: nothing is remembered for it. */
const fresh = (t: Tokenizer): Tokenizer => ({
  count: (text) => t.count(text),
  ...(t.countOrdinary
    ? { countOrdinary: (text) => t.countOrdinary!(text) }
    : {}),
  exact: t.exact,
});
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const fit = (
  messages: ChatMessage[],
  tokenizer: Tokenizer,
  maxContextSize = 8192,
  tools?: ToolDefinition[],
) =>
  fitToContext(messages, {
    maxContextSize,
    maxTokens: 2048,
    tokenizer,
    template: { currentDate, ...(tools ? { tools } : {}) },
    policy: {
      contextOverflow: "truncate",
      keepReasoning: false,
      keepFirstUserMessage: false,
    },
    logger: silent,
  });

for (const [name, tokenizer] of Object.entries(tokenizers)) {
  for (const warm of [false, true]) {
    for (const n of sizes) {
      const messages = histories.get(n)!;
      const use = () => warm ? tokenizer : fresh(tokenizer);
      Deno.bench({
        name: `truncateMessages, ${name}, ${
          warm ? "warm" : "cold"
        }, ${n} messages`,
        group: `truncate ${name} ${warm ? "warm" : "cold"}`,
        baseline: n === 100,
        fn: () => {
          truncateMessages(messages, { currentDate, tokenizer: use() });
        },
      });
    }
  }
  for (const n of sizes) {
    const messages = histories.get(n)!;
    Deno.bench({
      name: `validateContext, ${name}, cold, ${n} messages`,
      group: `validate ${name}`,
      baseline: n === 100,
      fn: () => {
        validateContext(messages, { currentDate, tokenizer: fresh(tokenizer) });
      },
    });
    Deno.bench({
      name: `client fitting, ${name}, cold, ${n} messages`,
      group: `client fitting ${name}`,
      baseline: n === 100,
      fn: () => {
        assertValidHistory(messages, false);
        fit(messages, fresh(tokenizer));
      },
    });
  }
}

// A list never seen before (a new array each call): its roles are all read
// once (src/context/history_scan.ts); a request, like truncateMessages,
// checks whole the messages the fitting reads; the copy itself is part of
// the time.
for (const n of sizes) {
  const messages = histories.get(n)!;
  Deno.bench({
    name: `truncateMessages, estimator, a new array, ${n} messages`,
    group: "truncate estimator new array",
    baseline: n === 100,
    fn: () => {
      truncateMessages([...messages], {
        currentDate,
        tokenizer: estimatingTokenizer,
      });
    },
  });
  Deno.bench({
    name: `client fitting, estimator, a new array, ${n} messages`,
    group: "client fitting estimator new array",
    baseline: n === 100,
    fn: () => {
      const list = [...messages];
      assertValidHistory(list, false);
      fit(list, estimatingTokenizer);
    },
  });
}

/**
 * The requests of a 200-turn tool-calling agent: each the one before plus a
 * call and its result; the whole conversation, and its length at each
 * request.
 */
function agentTurns(): { all: ChatMessage[]; sizes: number[] } {
  const messages: ChatMessage[] = [
    { role: "system", content: "You are an agent with tools." },
    { role: "user", content: "Find the cheapest flight, step by step." },
  ];
  const sizes: number[] = [];
  for (let turn = 0; turn < 200; turn++) {
    const id = `call_${turn}`;
    messages.push({
      role: "assistant",
      content: null,
      reasoning: `Step ${turn}: search the next page of fares.`,
      tool_calls: [{
        id,
        type: "function",
        function: { name: "search", arguments: `{"page":${turn}}` },
      }],
    });
    messages.push({
      role: "tool",
      tool_call_id: id,
      content: `page ${turn}: ${"fare 120 EUR, ".repeat(40)}`,
    });
    // The user steers every tenth step: older rounds can then be dropped.
    if (turn % 10 === 9) {
      messages.push({ role: "assistant", content: `Checked ${turn} pages.` });
      messages.push({ role: "user", content: "Go on." });
    }
    sizes.push(messages.length);
  }
  return { all: messages, sizes };
}
/** The agent's tools, sent with every request: ten definitions, 3 KB rendered. */
const AGENT_TOOLS: ToolDefinition[] = Array.from({ length: 10 }, (_, i) => ({
  type: "function",
  function: {
    name: i === 0 ? "search" : `tool_${i}`,
    description:
      `Looks up page ${i} of the fares and returns each with its price.`,
    parameters: {
      type: "object",
      properties: {
        page: { type: "integer", description: "Which page" },
        currency: { type: "string", enum: ["EUR", "USD", "GBP"] },
      },
      required: ["page"],
    },
  },
}));
const turns = agentTurns();
for (const [name, tokenizer] of Object.entries(tokenizers)) {
  for (
    const [remembered, tools] of [[true], [false], [true, AGENT_TOOLS], [
      false,
      AGENT_TOOLS,
    ]] as [boolean, ToolDefinition[]?][]
  ) {
    Deno.bench({
      name: `200-turn agent replayed${
        tools ? " with ten tools" : ""
      }, ${name}, counts ${remembered ? "remembered" : "not remembered"}`,
      group: `agent ${name}${tools ? " tools" : ""}`,
      baseline: remembered,
      fn: () => {
        // Every request of the agent, as runToolLoop makes them (one
        // history that grows) and the client checks and fits them: one
        // tokenizer (remembered), or a new one each request (nothing
        // remembered).
        const kept = fresh(tokenizer);
        const history: ChatMessage[] = [];
        for (const size of turns.sizes) {
          history.push(...turns.all.slice(history.length, size));
          assertValidHistory(history, false);
          fit(history, remembered ? kept : fresh(tokenizer), 32_768, tools);
        }
      },
    });
  }
}
