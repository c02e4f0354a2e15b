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
    complete: true,
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

Deno.test("validateContext() counts from the newest message and stops once the window is full", () => {
  let calls = 0;
  const counting = { count: (text: string) => (calls++, text.length) };
  const turn = (i: number) => [
    { role: "user" as const, content: `question ${i}` },
    { role: "assistant" as const, content: `answer ${i}` },
  ];
  const sizes = [100, 100_000];
  const seen = sizes.map((n) => {
    calls = 0;
    const history = Array.from({ length: n / 2 }, (_, i) => turn(i)).flat();
    const check = validateContext(history, {
      tokenizer: { ...counting },
      currentDate,
      maxContextSize: 1200,
      maxTokens: 200,
    });
    assert.equal(check.fits, false);
    assert.equal(check.complete, false);
    assert.ok(check.promptTokens > check.budget);
    assert.ok(
      check.promptTokens <=
        countMessageTokens(history, { tokenizer: perChar, currentDate }),
    );
    return calls;
  });
  assert.ok(seen[1] <= seen[0] * 1.2, `${seen.join(" and ")} texts counted`);
});

Deno.test("validateContext() agrees with a full count on random histories", () => {
  for (let seed = 1; seed <= 300; seed++) {
    let x = seed;
    const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    const history = Array.from({ length: Math.floor(next() * 40) }, (_, i) => ({
      role: (["user", "assistant", "system"] as const)[Math.floor(next() * 3)],
      content: "w".repeat(Math.floor(next() * 200)) + i,
    }));
    const window = {
      maxContextSize: 300 + Math.floor(next() * 4000),
      maxTokens: 100,
      tokenizer: { count: (text: string) => text.length },
      currentDate,
    };
    const check = validateContext(history, window);
    const total = countMessageTokens(history, {
      tokenizer: window.tokenizer,
      currentDate,
    });
    assert.equal(check.fits, total <= check.budget, `seed ${seed}`);
    if (check.complete) assert.equal(check.promptTokens, total);
    else {assert.ok(
        check.promptTokens > check.budget && check.promptTokens <= total,
      );}
    assert.equal(check.available, check.budget - check.promptTokens);
  }
});
