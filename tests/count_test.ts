import assert from "node:assert/strict";
import {
  countMessageTokens,
  estimatingTokenizer,
  renderHarmonyPrompt,
  type Tokenizer,
} from "../mod.ts";
import { gptOssTokenizer } from "../tokenizer/mod.ts";
import { DEFAULT_SYSTEM_MESSAGE_TOKENS } from "../src/harmony/prompt.ts";
import { messageTokenCounts } from "../src/context/count.ts";
import { countRenderedTokens } from "../src/context/rendered_tokens.ts";
import { loadRenderings, toChatMessage, toOptions } from "./_harmony_cases.ts";

const renderings = await loadRenderings("renderings.json");

Deno.test("countMessageTokens() with the exact tokenizer counts what the real template renders", () => {
  for (const c of renderings) {
    const messages = c.messages.map(toChatMessage);
    const counted = countMessageTokens(messages, {
      ...toOptions(c),
      tokenizer: gptOssTokenizer,
    });
    assert.equal(counted, gptOssTokenizer.encode(c.expected).length, c.name);
  }
});

Deno.test("countMessageTokens() with the estimator counts the same rendering, special tokens one each", () => {
  // A tokenizer that counts characters makes the structure visible: every
  // special token is 1, every other character is 1, and the template's
  // default system message is its known exact count.
  const perCharacter: Tokenizer = { count: (text) => text.length };
  for (const c of renderings) {
    const messages = c.messages.map(toChatMessage);
    const system = c.expected.slice(0, c.expected.indexOf("<|end|>") + 7);
    const rest = c.expected.slice(system.length);
    const specials = rest.match(/<\|[a-z_0-9]+\|>/g)!.length;
    const characters = rest.replace(/<\|[a-z_0-9]+\|>/g, "").length;
    const systemTokens = c.kwargs?.model_identity
      ? system.replace(/<\|[a-z_0-9]+\|>/g, "").length + 3
      : DEFAULT_SYSTEM_MESSAGE_TOKENS[c.tools?.length ? "withTools" : "plain"];
    assert.equal(
      countMessageTokens(messages, {
        ...toOptions(c),
        tokenizer: perCharacter,
      }),
      systemTokens + specials + characters,
      c.name,
    );
    const estimated = countMessageTokens(messages, {
      ...toOptions(c),
      tokenizer: estimatingTokenizer,
    });
    const exact = gptOssTokenizer.count(c.expected);
    assert.ok(
      estimated >= exact * 0.98 && estimated <= exact * 1.5,
      `${c.name}: ${estimated} for ${exact}`,
    );
  }
});

Deno.test("the template's default system message is 61 tokens, 75 with tools, whatever the date and effort", () => {
  for (const currentDate of ["2025-08-05", "1999-12-31", "2100-01-01"]) {
    for (const reasoningEffort of ["low", "medium", "high"] as const) {
      for (
        const tools of [undefined, [{
          type: "function" as const,
          function: { name: "f" },
        }]]
      ) {
        const prompt = renderHarmonyPrompt([], {
          currentDate,
          reasoningEffort,
          ...(tools ? { tools } : {}),
        });
        const system = prompt.slice(0, prompt.indexOf("<|end|>") + 7);
        assert.equal(
          gptOssTokenizer.count(system),
          DEFAULT_SYSTEM_MESSAGE_TOKENS[tools ? "withTools" : "plain"],
        );
      }
    }
  }
});

Deno.test("messageTokenCounts() splits the total where messages begin", () => {
  for (const c of renderings) {
    const messages = c.messages.map(toChatMessage);
    const options = { ...toOptions(c), tokenizer: gptOssTokenizer };
    const counts = messageTokenCounts(messages, gptOssTokenizer, options);
    assert.equal(counts.messages.length, messages.length);
    assert.equal(
      counts.fixed + counts.messages.reduce((a, b) => a + b, 0),
      counts.total,
    );
    assert.equal(counts.total, countMessageTokens(messages, options));
    if (messages[0].role === "system" || messages[0].role === "developer") {
      assert.equal(
        counts.messages[0],
        0,
        "the system prompt is in the fixed part",
      );
    }
  }
});

Deno.test("countMessageTokens() counts tools and reasoning effort into the prompt", () => {
  const messages = [{ role: "user" as const, content: "Hi" }];
  const base = countMessageTokens(messages, {
    tokenizer: gptOssTokenizer,
    currentDate: "2025-08-05",
  });
  const withTools = countMessageTokens(messages, {
    tokenizer: gptOssTokenizer,
    currentDate: "2025-08-05",
    tools: [{
      type: "function",
      function: { name: "ping", description: "Ping." },
    }],
  });
  const expected = gptOssTokenizer.count(renderHarmonyPrompt(messages, {
    currentDate: "2025-08-05",
    tools: [{
      type: "function",
      function: { name: "ping", description: "Ping." },
    }],
  }));
  assert.equal(withTools, expected);
  assert.ok(withTools > base + 20);
  assert.equal(
    countMessageTokens(messages, {
      tokenizer: gptOssTokenizer,
      currentDate: "2025-08-05",
      reasoningEffort: "high",
    }),
    base,
    "low, medium and high are one token each",
  );
});

Deno.test("countRenderedTokens() counts special tokens as one each with any tokenizer", () => {
  const words: Tokenizer = {
    count: (t) => t.split(/\s+/).filter(Boolean).length,
  };
  assert.equal(
    countRenderedTokens("<|start|>user<|message|>one two<|end|>", words),
    3 + 1 + 2,
  );
  assert.equal(
    countRenderedTokens(
      "<|start|>user<|message|>hello world<|end|>",
      gptOssTokenizer,
    ),
    6,
  );
});

Deno.test("messageTokenCounts() gives each message the count of its rendering, fast path or not (500 cases)", async () => {
  const { default: fc } = await import("npm:fast-check@^4.3.0");
  const { harmonyPromptParts } = await import(
    "../src/harmony/prompt.ts"
  );
  const text = fc.string({
    unit: fc.constantFrom(
      "a",
      " ",
      "\n",
      "\u00e9",
      "<|",
      "end|>",
      "\u4e2d",
      "#",
    ),
    maxLength: 30,
  });
  const call = (name: string, args: string) => ({
    id: name,
    type: "function" as const,
    function: { name, arguments: args },
  });
  const message = fc.oneof(
    text.map((t) => ({ role: "user" as const, content: t })),
    text.map((t) => ({ role: "system" as const, content: t })),
    text.map((t) => ({ role: "assistant" as const, content: t })),
    fc.tuple(text, text).map(([t, r]) => ({
      role: "assistant" as const,
      content: null,
      reasoning: r,
      tool_calls: [call("f", `{"q":${JSON.stringify(t)}}`)],
    })),
    text.map((t) => ({ role: "tool" as const, tool_call_id: "f", content: t })),
  );
  fc.assert(
    fc.property(fc.array(message, { maxLength: 12 }), (messages) => {
      for (const tokenizer of [estimatingTokenizer, gptOssTokenizer]) {
        const counts = messageTokenCounts(messages, tokenizer, {
          currentDate: "2025-08-05",
        });
        const parts =
          harmonyPromptParts(messages, { currentDate: "2025-08-05" }).messages;
        assert.deepEqual(
          counts.messages,
          parts.map((p) => p ? countRenderedTokens(p, tokenizer) : 0),
        );
      }
    }),
    { numRuns: 500, seed: 99 },
  );
});
