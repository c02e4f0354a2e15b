import assert from "node:assert/strict";
import { ConfigError, countMessageTokens, validateContext } from "../mod.ts";

const perChar = { count: (text: string) => text.length };
const currentDate = "2025-08-05";
// The template's tokens around one user message of n characters.
const framing = countMessageTokens([{ role: "user", content: "" }], {
  tokenizer: perChar,
  currentDate,
});

Deno.test("validateContext() reports the prompt, the budget and what is left", () => {
  const check = validateContext([{ role: "user", content: "x".repeat(100) }], {
    maxContextSize: 1000,
    maxTokens: 200,
    tokenizer: perChar,
    currentDate,
  });
  assert.deepEqual(check, {
    promptTokens: framing + 100,
    budget: 800,
    available: 800 - framing - 100,
    fits: true,
  });
});

Deno.test("validateContext() says when the prompt plus maxTokens does not fit", () => {
  const window = {
    maxContextSize: 1000,
    maxTokens: 100,
    tokenizer: perChar,
    currentDate,
  };
  const check = validateContext(
    [{ role: "user", content: "x".repeat(900) }],
    window,
  );
  assert.equal(check.fits, false);
  assert.equal(check.available, 900 - framing - 900);
  // Exactly at the limit still fits; one more token does not.
  const exact = validateContext([{
    role: "user",
    content: "x".repeat(900 - framing),
  }], window);
  assert.equal(exact.available, 0);
  assert.equal(exact.fits, true);
  const over = validateContext([{
    role: "user",
    content: "x".repeat(901 - framing),
  }], window);
  assert.equal(over.fits, false);
});

Deno.test("validateContext() counts the tools and reasoning effort the template adds", () => {
  const messages = [{ role: "user" as const, content: "hi" }];
  const plain = validateContext(messages, { tokenizer: perChar, currentDate });
  const withTools = validateContext(messages, {
    tokenizer: perChar,
    currentDate,
    tools: [{
      type: "function",
      function: { name: "lookup", description: "Look it up." },
    }],
  });
  assert.ok(withTools.promptTokens > plain.promptTokens + 50);
});

Deno.test("validateContext() uses 8192 and 2048 by default and checks the window", () => {
  assert.equal(validateContext([{ role: "user", content: "hi" }]).budget, 6144);
  assert.throws(
    () => validateContext([], { maxContextSize: 100, maxTokens: 100 }),
    ConfigError,
  );
  assert.throws(() => validateContext([], { maxContextSize: -1 }), ConfigError);
});
