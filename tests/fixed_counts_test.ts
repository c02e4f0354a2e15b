/**
 * What every request sends again besides the messages (the template's
 * system message, the developer message with the caller's instructions and
 * the tools) is counted once per tokenizer and text (src/context/fixed_counts.ts):
 * a conversation sent again does not count it again, and whatever changes,
 * in place or not, the count is the one from scratch.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  type ChatMessage,
  countMessageTokens,
  estimatingTokenizer,
  GptOssClient,
  type Renderer,
  type Tokenizer,
  truncateMessages,
} from "../mod.ts";
import { gptOssTokenizer } from "../tokenizer/mod.ts";
import { startMockServer } from "../testing/mod.ts";

const currentDate = "2026-12-02";
const RENDERERS: Renderer[] = ["template", "vllm", "vllm-0.30", "vllm-0.22"];

/** Ten tools with schemas, 3 KB rendered. */
function someTools() {
  return Array.from({ length: 10 }, (_, i) => ({
    type: "function" as const,
    function: {
      name: `lookup_${i}`,
      description: `Looks up item ${i} in the catalogue: its price and stock.`,
      parameters: {
        type: "object",
        properties: {
          query: { type: "string", description: "What to look for" },
          region: { type: "string", enum: ["eu", "us", "asia"] },
        },
        required: ["query"],
      },
    },
  }));
}

const INSTRUCTIONS = "You are a careful shopping agent. ".repeat(30);

/** A tokenizer that records what it is asked to count (the exact one by default). */
function recording(
  base: Tokenizer = gptOssTokenizer,
): Tokenizer & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    count: (text) => (seen.push(text), base.count(text)),
    ...(base.countOrdinary
      ? {
        countOrdinary: (text: string) => (
          seen.push(text), base.countOrdinary!(text)
        ),
      }
      : {}),
    ...(base.exact ? { exact: true } : {}),
  };
}

/** The same counts with nothing remembered: a tokenizer object never seen before. */
const fresh = (base: Tokenizer = gptOssTokenizer): Tokenizer => ({
  count: (text) => base.count(text),
  ...(base.countOrdinary
    ? { countOrdinary: (text: string) => base.countOrdinary!(text) }
    : {}),
  ...(base.exact ? { exact: true } : {}),
});

Deno.test("a conversation sent again with a turn more counts neither the instructions nor the tools again, on every renderer", () => {
  for (const renderer of RENDERERS) {
    const tokenizer = recording();
    const tools = someTools();
    const history: ChatMessage[] = [
      { role: "system", content: INSTRUCTIONS },
      { role: "user", content: "Find a cheap flight." },
    ];
    const options = { tokenizer, tools, currentDate, renderer };
    const first = truncateMessages(history, options);
    assert.ok(
      tokenizer.seen.some((t) => t.includes("careful shopping agent")),
      `${renderer}: the instructions were counted the first time`,
    );
    history.push(
      { role: "assistant", content: "Where from?" },
      { role: "user", content: "From Lisbon." },
    );
    tokenizer.seen.length = 0;
    const second = truncateMessages(history, options);
    const counted = tokenizer.seen.join(" | ");
    assert.ok(!counted.includes("careful shopping"), `${renderer}: ${counted}`);
    assert.ok(!counted.includes("lookup_"), `${renderer}: ${counted}`);
    assert.ok(counted.includes("From Lisbon."), `${renderer}: ${counted}`);
    // At most the new messages and their headers: far less than the tools.
    assert.ok(counted.length < 200, `${renderer}: ${counted}`);
    assert.ok(second.promptTokens > first.promptTokens);
    assert.equal(
      second.promptTokens,
      countMessageTokens(history, { ...options, tokenizer: fresh() }),
    );
  }
});

Deno.test("the client counts its instructions and tools once for a conversation it sends again", async () => {
  await using server = await startMockServer();
  const tokenizer = recording();
  const tools = someTools();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    tokenizer,
  });
  const history: ChatMessage[] = [
    { role: "system", content: INSTRUCTIONS },
    { role: "user", content: "Find a cheap flight." },
  ];
  await client.generateResponse(history, { tools });
  history.push(
    { role: "assistant", content: "Where from?" },
    { role: "user", content: "From Lisbon." },
  );
  tokenizer.seen.length = 0;
  await client.generateResponse(history, { tools });
  const counted = tokenizer.seen.join(" | ");
  assert.ok(!counted.includes("careful shopping"), counted);
  assert.ok(!counted.includes("lookup_"), counted);
  assert.ok(counted.includes("From Lisbon."), counted);
});

type Edit =
  | { kind: "instructions"; text: string }
  | { kind: "description"; tool: number; text: string }
  | { kind: "add-tool"; name: string }
  | { kind: "drop-tool" }
  | { kind: "enum"; value: string }
  | { kind: "effort"; value: "low" | "medium" | "high" }
  | { kind: "date"; value: string }
  | { kind: "identity"; value: string | undefined }
  | { kind: "renderer"; value: Renderer }
  | { kind: "developer-role" };

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", "<|end|>", "lookup_1", INSTRUCTIONS),
);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("instructions" as const), text }),
  fc.record({
    kind: fc.constant("description" as const),
    tool: fc.nat({ max: 9 }),
    text,
  }),
  fc.record({
    kind: fc.constant("add-tool" as const),
    name: fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/),
  }),
  fc.record({ kind: fc.constant("drop-tool" as const) }),
  fc.record({ kind: fc.constant("enum" as const), value: text }),
  fc.record({
    kind: fc.constant("effort" as const),
    value: fc.constantFrom("low", "medium", "high"),
  }),
  fc.record({
    kind: fc.constant("date" as const),
    value: fc.constantFrom("2025-08-05", "2026-12-02"),
  }),
  fc.record({
    kind: fc.constant("identity" as const),
    value: fc.constantFrom(undefined, "You are Grace.", "x"),
  }),
  fc.record({
    kind: fc.constant("renderer" as const),
    value: fc.constantFrom(...RENDERERS),
  }),
  fc.record({ kind: fc.constant("developer-role" as const) }),
);

Deno.test("the remembered counts equal counts from scratch, whatever is changed in place between requests (200 sequences, both tokenizers)", () => {
  fc.assert(
    fc.property(
      fc.array(edit, { minLength: 1, maxLength: 12 }),
      fc.constantFrom(gptOssTokenizer, estimatingTokenizer),
      (edits, base) => {
        const tokenizer = recording(base);
        const tools = someTools();
        const history: ChatMessage[] = [
          { role: "system", content: INSTRUCTIONS },
          { role: "user", content: "Find a cheap flight." },
        ];
        const options: Parameters<typeof countMessageTokens>[1] = {
          tokenizer,
          tools,
          currentDate,
        };
        for (const change of edits) {
          switch (change.kind) {
            case "instructions":
              history[0].content = change.text;
              break;
            case "description":
              if (tools[change.tool]) {
                tools[change.tool].function.description = change.text;
              }
              break;
            case "add-tool":
              if (!tools.some((t) => t.function.name === change.name)) {
                tools.push({
                  ...someTools()[0],
                  function: { ...someTools()[0].function, name: change.name },
                });
              }
              break;
            case "drop-tool":
              tools.pop();
              break;
            case "enum":
              if (tools[0]) {
                tools[0].function.parameters.properties.region.enum[0] =
                  change.value;
              }
              break;
            case "effort":
              options.reasoningEffort = change.value;
              break;
            case "date":
              options.currentDate = change.value;
              break;
            case "identity":
              if (change.value === undefined) delete options.modelIdentity;
              else options.modelIdentity = change.value;
              break;
            case "renderer":
              options.renderer = change.value;
              break;
            case "developer-role":
              history[0].role = history[0].role === "system"
                ? "developer"
                : "system";
          }
          assert.equal(
            countMessageTokens(history, options),
            countMessageTokens(history, { ...options, tokenizer: fresh(base) }),
            JSON.stringify(change),
          );
        }
      },
    ),
    { numRuns: 200, seed: 1202 },
  );
});

Deno.test("a few dozen fixed texts are remembered per tokenizer, the oldest forgotten first", () => {
  const tokenizer = recording();
  const prompt = (i: number): ChatMessage[] => [
    { role: "system", content: `Instructions number ${i}.` },
    { role: "user", content: "Hi" },
  ];
  const countedAgain = (i: number) => {
    tokenizer.seen.length = 0;
    countMessageTokens(prompt(i), { tokenizer, currentDate });
    return tokenizer.seen.some((t) => t.includes(`number ${i}.`));
  };
  assert.equal(countedAgain(0), true);
  assert.equal(countedAgain(0), false, "remembered");
  for (let i = 1; i <= 64; i++) countedAgain(i);
  assert.equal(countedAgain(64), false, "the newest are kept");
  assert.equal(countedAgain(0), true, "the oldest was forgotten");
});

Deno.test("the fixed texts kept per tokenizer are at most 1 MiB in all; a larger one is not kept", () => {
  const tokenizer = recording(estimatingTokenizer);
  const big = (i: number, size: number): ChatMessage[] => [
    { role: "system", content: `${i} ${"word ".repeat(size / 5)}` },
    { role: "user", content: "Hi" },
  ];
  const countedAgain = (i: number, size: number) => {
    tokenizer.seen.length = 0;
    countMessageTokens(big(i, size), { tokenizer, currentDate });
    return tokenizer.seen.some((t) => t.includes(`${i} word`));
  };
  // Three of 300,000 characters fit; a fourth pushes the first out.
  for (const i of [1, 2, 3]) assert.equal(countedAgain(i, 300_000), true);
  assert.equal(countedAgain(1, 300_000), false, "remembered");
  assert.equal(countedAgain(4, 300_000), true);
  assert.equal(countedAgain(1, 300_000), true, "the oldest was forgotten");
  assert.equal(countedAgain(4, 300_000), false, "the newest is kept");
  // One over the budget alone is counted each time, and pushes nothing out.
  assert.equal(countedAgain(5, 1_100_000), true);
  assert.equal(countedAgain(5, 1_100_000), true, "not kept");
  assert.equal(countedAgain(4, 300_000), false, "still kept");
});
