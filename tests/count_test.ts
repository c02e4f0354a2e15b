import assert from "node:assert/strict";
import {
  countMessageTokens,
  estimateTokens,
  messageTokens,
  type Tokenizer,
} from "../mod.ts";

const perWord: Tokenizer = {
  count: (text) => text.split(/\s+/).filter(Boolean).length,
};

Deno.test("countMessageTokens() adds the template's overhead and each message's harmony tokens", () => {
  const empty = countMessageTokens([], { tokenizer: perWord });
  assert.equal(empty, 64);
  const user = countMessageTokens(
    [{ role: "user", content: "one two three" }],
    { tokenizer: perWord },
  );
  assert.equal(user, 64 + 4 + 3);
  const system = countMessageTokens([{ role: "system", content: "be brief" }], {
    tokenizer: perWord,
  });
  assert.equal(
    system,
    64 + 4 + 4 + 2,
    "a system prompt becomes a developer message with # Instructions",
  );
  const assistant = countMessageTokens(
    [{ role: "assistant", content: "four" }],
    { tokenizer: perWord },
  );
  assert.equal(assistant, 64 + 4 + 2 + 1, "an answer carries <|channel|>final");
});

Deno.test("countMessageTokens() counts tool calls, tool results, names and text parts", () => {
  const call = messageTokens({
    role: "assistant",
    content: null,
    reasoning: "need the weather",
    tool_calls: [{
      id: "c",
      type: "function",
      function: { name: "get_weather", arguments: '{"city": "Oslo"}' },
    }],
  }, perWord);
  assert.equal(call, 4 + 2 + (4 + 2 + 3) + (4 + 8 + 1 + 2));
  const result = messageTokens({
    role: "tool",
    tool_call_id: "c",
    content: "sunny and warm",
  }, perWord);
  assert.equal(result, 4 + 3 + 7);
  const parts = messageTokens({
    role: "user",
    name: "ann",
    content: [{ type: "text", text: "look at" }, {
      type: "image_url",
      image_url: { url: "x" },
    }, { type: "text", text: "this" }],
  }, perWord);
  assert.equal(parts, 4 + 1 + 3);
});

Deno.test("countMessageTokens() uses the built-in estimator by default", () => {
  const text = "How many tokens is this sentence?";
  assert.equal(
    countMessageTokens([{ role: "user", content: text }]),
    64 + 4 + estimateTokens(text),
  );
});
