import assert from "node:assert/strict";
import {
  type ChatMessage,
  ConfigError,
  ContextSizeError,
  countMessageTokens,
  truncateMessages,
} from "../mod.ts";

// One token per character keeps the arithmetic of these tests readable.
const tokenizer = { count: (text: string) => text.length };
const sys = (content: string): ChatMessage => ({ role: "system", content });
const user = (content: string): ChatMessage => ({ role: "user", content });
const bot = (content: string): ChatMessage => ({ role: "assistant", content });
const call = (id: string): ChatMessage => ({
  role: "assistant",
  content: null,
  tool_calls: [{
    id,
    type: "function",
    function: { name: "f", arguments: "{}" },
  }],
});
const result = (id: string): ChatMessage => ({
  role: "tool",
  tool_call_id: id,
  content: "r",
});

Deno.test("truncateMessages() keeps everything that fits", () => {
  const messages = [sys("s"), user("hi"), bot("hello"), user("bye")];
  const out = truncateMessages(messages, {
    maxContextSize: 1000,
    maxTokens: 100,
    tokenizer,
  });
  assert.deepEqual(out.kept, messages);
  assert.deepEqual(out.dropped, []);
  assert.equal(out.budget, 900);
  assert.equal(out.promptTokens, countMessageTokens(messages, { tokenizer }));
});

Deno.test("truncateMessages() drops the oldest turns and keeps the system messages and the latest user message", () => {
  const long = "x".repeat(50);
  const messages = [
    sys("rules"),
    user(`1 ${long}`),
    bot(`2 ${long}`),
    user(`3 ${long}`),
    bot(`4 ${long}`),
    user("5 last"),
  ];
  const out = truncateMessages(messages, {
    maxContextSize: 300,
    maxTokens: 80,
    tokenizer,
  });
  assert.deepEqual(out.kept, [
    messages[0],
    messages[3],
    messages[4],
    messages[5],
  ]);
  assert.deepEqual(out.dropped, [messages[1], messages[2]]);
  assert.ok(out.promptTokens <= out.budget);
  assert.equal(out.promptTokens, countMessageTokens(out.kept, { tokenizer }));
});

Deno.test("truncateMessages() keeps system messages wherever they are", () => {
  const long = "x".repeat(60);
  const messages = [
    user(long),
    sys("mid-conversation rule"),
    bot(long),
    user(long),
    user("now"),
  ];
  const out = truncateMessages(messages, {
    maxContextSize: 240,
    maxTokens: 40,
    tokenizer,
  });
  assert.deepEqual(out.kept, [messages[1], messages[3], messages[4]]);
});

Deno.test("truncateMessages() keeps a tool call and its results together", () => {
  const long = "y".repeat(40);
  const messages = [
    user(long),
    call("a"),
    result("a"),
    bot(long),
    user(long),
    call("b"),
    result("b"),
    result("b2"),
  ];
  // Budget for the pinned user message, one tool exchange and little else.
  const out = truncateMessages(messages, {
    maxContextSize: 215,
    maxTokens: 20,
    tokenizer,
  });
  for (const m of out.kept) {
    if (m.role === "tool") {
      const i = out.kept.indexOf(m);
      const before = out.kept.slice(0, i).reverse().find((k) =>
        k.role !== "tool"
      );
      assert.ok(
        before?.tool_calls?.length,
        "a tool result must follow its call",
      );
    }
  }
  assert.deepEqual(out.kept, [
    messages[4],
    messages[5],
    messages[6],
    messages[7],
  ]);
});

Deno.test("truncateMessages() keeps one unbroken run of the latest turns", () => {
  const messages = [
    user("a".repeat(10)),
    bot("b".repeat(100)),
    user("c".repeat(10)),
    bot("d".repeat(10)),
    user("e"),
  ];
  const out = truncateMessages(messages, {
    maxContextSize: 200,
    maxTokens: 50,
    tokenizer,
  });
  // The oldest short message would fit alone, but it is older than a dropped one.
  assert.deepEqual(out.kept, messages.slice(2));
});

Deno.test("truncateMessages() throws ContextSizeError when the latest user message alone is too long", () => {
  const messages = [sys("s"), bot("old"), user("z".repeat(500))];
  assert.throws(
    () =>
      truncateMessages(messages, {
        maxContextSize: 400,
        maxTokens: 100,
        tokenizer,
      }),
    (error: unknown) =>
      error instanceof ContextSizeError &&
      error.promptTokens === 64 + 4 + 1 + 4 + 4 + 500 &&
      error.maxContextSize === 400 && error.maxTokens === 100 &&
      /Shorten the latest message/.test(error.message),
  );
});

Deno.test("truncateMessages() checks the window", () => {
  assert.throws(
    () => truncateMessages([user("x")], { maxContextSize: 10, maxTokens: 10 }),
    ConfigError,
  );
});

// A small deterministic generator, so that a failure can be replayed.
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

function randomHistory(next: () => number): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const length = 1 + Math.floor(next() * 14);
  for (let i = 0; i < length; i++) {
    const r = next();
    const text = "w".repeat(1 + Math.floor(next() * 60));
    if (r < 0.1) messages.push(sys(text));
    else if (r < 0.45) messages.push(user(text));
    else if (r < 0.8) messages.push(bot(text));
    else {
      messages.push(call(`c${i}`));
      const results = 1 + Math.floor(next() * 2);
      for (let k = 0; k < results; k++) messages.push(result(`c${i}`));
    }
  }
  return messages;
}

Deno.test("truncateMessages() keeps its promises on 2,000 random histories", () => {
  const next = random(42);
  let truncated = 0;
  for (let run = 0; run < 2000; run++) {
    const messages = randomHistory(next);
    const maxContextSize = 120 + Math.floor(next() * 400);
    const options = { maxContextSize, maxTokens: 20, tokenizer };
    let out;
    try {
      out = truncateMessages(messages, options);
    } catch (error) {
      assert.ok(error instanceof ContextSizeError);
      continue;
    }
    if (out.dropped.length) truncated++;
    // It fits, and says so truthfully.
    assert.ok(out.promptTokens <= out.budget, `run ${run}`);
    assert.equal(out.promptTokens, countMessageTokens(out.kept, { tokenizer }));
    // Order is kept, and nothing is lost or duplicated.
    assert.deepEqual(
      [...out.kept, ...out.dropped].sort((a, b) =>
        messages.indexOf(a) - messages.indexOf(b)
      ),
      messages,
    );
    assert.deepEqual(out.kept, messages.filter((m) => out.kept.includes(m)));
    // Every system message and the latest user message stay.
    for (const m of messages) {
      if (m.role === "system") assert.ok(out.kept.includes(m));
    }
    const latestUser = messages.findLast((m) => m.role === "user");
    if (latestUser) assert.ok(out.kept.includes(latestUser));
    // Tool calls and their results stay together.
    messages.forEach((m, i) => {
      if (m.role !== "tool") return;
      let j = i;
      while (messages[j].role === "tool") j--;
      assert.equal(
        out.kept.includes(m),
        out.kept.includes(messages[j]),
        `run ${run}: tool group split`,
      );
    });
  }
  assert.ok(truncated > 500, `only ${truncated} runs needed truncation`);
});
