import assert from "node:assert/strict";
import { ConfigError, validateContext } from "../mod.ts";

const perChar = { count: (text: string) => text.length };

Deno.test("validateContext() reports the prompt, the budget and what is left", () => {
  const check = validateContext([{ role: "user", content: "x".repeat(100) }], {
    maxContextSize: 1000,
    maxTokens: 200,
    tokenizer: perChar,
  });
  assert.deepEqual(check, {
    promptTokens: 168,
    budget: 800,
    available: 632,
    fits: true,
  });
});

Deno.test("validateContext() says when the prompt plus maxTokens does not fit", () => {
  const messages = [{ role: "user" as const, content: "x".repeat(900) }];
  const check = validateContext(messages, {
    maxContextSize: 1000,
    maxTokens: 100,
    tokenizer: perChar,
  });
  assert.equal(check.fits, false);
  assert.equal(check.available, 900 - 968);
  // Exactly at the limit still fits.
  const exact = validateContext([{ role: "user", content: "x".repeat(832) }], {
    maxContextSize: 1000,
    maxTokens: 100,
    tokenizer: perChar,
  });
  assert.equal(exact.available, 0);
  assert.equal(exact.fits, true);
});

Deno.test("validateContext() uses 8192 and 2048 by default and checks the window", () => {
  assert.equal(validateContext([{ role: "user", content: "hi" }]).budget, 6144);
  assert.throws(
    () => validateContext([], { maxContextSize: 100, maxTokens: 100 }),
    ConfigError,
  );
  assert.throws(() => validateContext([], { maxContextSize: -1 }), ConfigError);
});
