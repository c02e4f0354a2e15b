import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  type ChatMessage,
  ConfigError,
  ContextSizeError,
  countMessageTokens,
  InvalidMessageError,
  type Renderer,
  type Tokenizer,
  truncateMessages,
} from "../mod.ts";

// One token per character keeps the arithmetic readable; the template's
// special tokens are one each, whatever the tokenizer.
const tokenizer: Tokenizer = { count: (text) => text.length };
const currentDate = "2025-08-05";
const sys = (content: string): ChatMessage => ({ role: "system", content });
const user = (content: string): ChatMessage => ({ role: "user", content });
const bot = (content: string): ChatMessage => ({ role: "assistant", content });
const call = (id: string, name = "f"): ChatMessage => ({
  role: "assistant",
  content: null,
  tool_calls: [{ id, type: "function", function: { name, arguments: "{}" } }],
});
const result = (id: string): ChatMessage => ({
  role: "tool",
  tool_call_id: id,
  content: "r",
});
// Counted from scratch: a new tokenizer object shares nothing remembered.
const tokens = (messages: ChatMessage[], renderer?: Renderer) =>
  countMessageTokens(messages, {
    tokenizer: { count: (text) => text.length },
    currentDate,
    ...(renderer ? { renderer } : {}),
  });

Deno.test("truncateMessages() keeps everything that fits and says nothing was dropped or shortened", () => {
  const messages = [sys("s"), user("hi"), bot("hello"), user("bye")];
  const out = truncateMessages(messages, {
    maxContextSize: 1000,
    maxTokens: 100,
    tokenizer,
    currentDate,
  });
  assert.deepEqual(out.kept, messages);
  assert.deepEqual(out.dropped, []);
  assert.deepEqual(out.shortened, []);
  assert.equal(out.promptTokens, tokens(messages));
  assert.equal(out.budget, 900);
});

Deno.test("truncateMessages() drops the oldest turns and keeps the system messages and the latest user message", () => {
  const messages = [
    sys("rules"),
    user("a".repeat(100)),
    bot("b".repeat(100)),
    user("c".repeat(30)),
    bot("d".repeat(30)),
    user("last"),
  ];
  const budget = tokens([messages[0], ...messages.slice(3)]);
  const out = truncateMessages(messages, {
    maxContextSize: budget + 50,
    maxTokens: 50,
    tokenizer,
    currentDate,
  });
  assert.deepEqual(out.kept, [messages[0], ...messages.slice(3)]);
  assert.deepEqual(out.dropped, messages.slice(1, 3));
  assert.equal(out.promptTokens, budget);
});

Deno.test("truncateMessages() keeps system messages wherever they are", () => {
  const messages = [
    user("a".repeat(200)),
    sys("middle rule"),
    bot("b".repeat(200)),
    user("now"),
  ];
  const out = truncateMessages(messages, {
    maxContextSize: tokens([messages[1], messages[3]]) + 60,
    maxTokens: 50,
    tokenizer,
    currentDate,
  });
  assert.deepEqual(out.kept, [messages[1], messages[3]]);
});

Deno.test("truncateMessages() keeps or drops a turn whole: the question, the tool calls and their results", () => {
  const messages = [
    user("q".repeat(50)),
    call("c1"),
    result("c1"),
    result("c1"),
    user("next"),
  ];
  const whole = tokens(messages);
  // Room for the whole turn: all of it stays.
  const out = truncateMessages(messages, {
    maxContextSize: whole + 10,
    maxTokens: 10,
    tokenizer,
    currentDate,
  });
  assert.deepEqual(out.kept, messages);
  // Room for the call and its results, not for the question that led to
  // them: the turn goes whole, not its answer without its question.
  const tight = truncateMessages(messages, {
    maxContextSize: tokens(messages.slice(1)) + 10,
    maxTokens: 10,
    tokenizer,
    currentDate,
  });
  assert.deepEqual(tight.kept, [messages[4]]);
  assert.deepEqual(tight.dropped, messages.slice(0, 4));
});

Deno.test("truncateMessages() keeps one unbroken run of the latest turns", () => {
  const messages = [
    user("x"),
    bot("y".repeat(300)),
    user("z".repeat(20)),
    user("now"),
  ];
  const out = truncateMessages(messages, {
    maxContextSize: tokens(messages.slice(2)) + 20,
    maxTokens: 20,
    tokenizer,
    currentDate,
  });
  // The oldest short message would fit alone, but it is older than a dropped one.
  assert.deepEqual(out.kept, messages.slice(2));
});

Deno.test("truncateMessages() keeps the first user message, the task, when asked", () => {
  const task = user("Task: translate everything I send into French.");
  const messages = [sys("s"), task];
  for (let i = 0; i < 50; i++) {
    messages.push(
      user(`sentence ${i} `.repeat(5)),
      bot(`phrase ${i} `.repeat(5)),
    );
  }
  messages.push(user("last one"));
  const window = {
    maxContextSize: 900,
    maxTokens: 100,
    tokenizer,
    currentDate,
  };
  const plain = truncateMessages(messages, window);
  assert.ok(!plain.kept.includes(task));
  const out = truncateMessages(messages, {
    ...window,
    keepFirstUserMessage: true,
  });
  assert.equal(out.kept[0], messages[0]);
  assert.equal(out.kept[1], task);
  assert.equal(out.kept.at(-1), messages.at(-1));
  assert.ok(out.promptTokens <= 800);
  assert.equal(out.promptTokens, tokens(out.kept));
  // What follows the task is still one unbroken run of the latest turns.
  const rest = out.kept.slice(2);
  const start = messages.indexOf(rest[0]);
  assert.deepEqual(rest, messages.slice(start));
});

Deno.test("truncateMessages() shortens an oversize latest message in the middle rather than failing", () => {
  const head = "HEAD " + "alpha ".repeat(100);
  const middle = "middle ".repeat(2000);
  const tail = "omega ".repeat(100) + "TAIL";
  const big = user(head + middle + tail);
  const messages = [sys("Be brief."), bot("old answer"), big];
  const out = truncateMessages(messages, {
    maxContextSize: 3000,
    maxTokens: 500,
    tokenizer,
    currentDate,
  });
  assert.equal(out.shortened.length, 1);
  const [report] = out.shortened;
  assert.equal(report.index, 2);
  assert.equal(report.original, big);
  assert.equal(out.kept.at(-1), report.message);
  assert.ok(report.tokensAfter < report.tokensBefore);
  assert.ok(out.promptTokens <= 2500);
  assert.equal(out.promptTokens, tokens(out.kept));
  const text = report.message.content as string;
  assert.ok(text.startsWith("HEAD alpha alpha"));
  assert.ok(text.endsWith("omega TAIL"));
  assert.match(
    text,
    /\[\.\.\. \d+ characters omitted to fit the context window \.\.\.\]/,
  );
  assert.equal(
    Number(/(\d+) characters omitted/.exec(text)![1]),
    report.removedCharacters,
  );
  assert.equal(
    text.length - /\n\n\[.*\]\n\n/.exec(text)![0].length +
      report.removedCharacters,
    (big.content as string).length,
  );
  assert.equal(
    out.kept[0],
    messages[0],
    "the system prompt is never shortened",
  );
});

Deno.test("truncateMessages() keeps at least 32 characters of a shortened message, or fails", () => {
  // However small the room, a shortened message is never a stub: below 32
  // characters of the original text it is not worth sending.
  const big = user("0123456789".repeat(300));
  const fixed = tokens([]);
  let shortened = 0;
  let refused = 0;
  for (let room = 0; room <= 200; room += 2) {
    try {
      const out = truncateMessages([big], {
        maxContextSize: fixed + room + 20,
        maxTokens: 20,
        tokenizer,
        currentDate,
      });
      const text = out.kept[0].content as string;
      const marker = /\n\n\[\.\.\. \d+ characters omitted .*\]\n\n/.exec(text)!;
      assert.ok(
        text.length - marker[0].length >= 32,
        `room ${room}: ${JSON.stringify(text)}`,
      );
      shortened++;
    } catch (error) {
      assert.ok(error instanceof ContextSizeError, String(error));
      refused++;
    }
  }
  assert.ok(shortened > 0 && refused > 0, `${shortened} ${refused}`);
});

Deno.test("truncateMessages() shortens the largest kept message, a tool result included", () => {
  const messages = [user("get it"), call("c1", "fetch"), {
    ...result("c1"),
    content: "x".repeat(5000),
  }];
  const out = truncateMessages(messages, {
    maxContextSize: 1200,
    maxTokens: 200,
    tokenizer,
    currentDate,
  });
  assert.equal(out.shortened[0].index, 2);
  assert.deepEqual(out.kept.slice(0, 2), messages.slice(0, 2));
  assert.ok(out.promptTokens <= 1000);
});

Deno.test("truncateMessages() shortens only the turn in progress: never a pinned first message, never a system message", () => {
  const task = user("Task: " + "keep this whole. ".repeat(60));
  const messages = [sys("Be brief. ".repeat(30)), task, bot("ok"), user("now")];
  const fixed = tokens([messages[0], messages[3]]);
  const options = {
    maxContextSize: fixed + 150 + 10, // room for the task shortened, were that allowed
    maxTokens: 10,
    tokenizer,
    currentDate,
    keepFirstUserMessage: true,
  };
  // The pinned task does not fit, and may not be shortened: the turn in
  // progress is too small to make room.
  assert.throws(() => truncateMessages(messages, options), ContextSizeError);
  // Without the pin the task is dropped, not shortened.
  const out = truncateMessages(messages, {
    ...options,
    keepFirstUserMessage: false,
  });
  assert.deepEqual(out.shortened, []);
  assert.deepEqual(out.kept, [messages[0], messages[3]]);
  // A long message of the turn in progress is what gets shortened.
  const long = user("question " + "detail ".repeat(200));
  const current = truncateMessages([messages[0], task, bot("ok"), long], {
    ...options,
    keepFirstUserMessage: false,
    maxContextSize: fixed + 250,
  });
  assert.deepEqual(current.shortened.map((s) => s.original), [long]);
});

Deno.test("truncateMessages() throws ContextSizeError when shortening is off or cannot help", () => {
  const messages = [sys("s"), bot("old"), user("z".repeat(2000))];
  const window = {
    maxContextSize: 800,
    maxTokens: 100,
    tokenizer,
    currentDate,
  };
  assert.throws(
    () => truncateMessages(messages, { ...window, shortenOversized: false }),
    (error: unknown) =>
      error instanceof ContextSizeError &&
      error.promptTokens === tokens([messages[0], messages[2]]) &&
      error.maxContextSize === 800 && error.maxTokens === 100,
  );
  // System messages are never shortened: too long a system prompt fails.
  assert.throws(
    () => truncateMessages([sys("s".repeat(2000)), user("hi")], window),
    ContextSizeError,
  );
});

Deno.test("truncateMessages() checks the window", () => {
  assert.throws(
    () => truncateMessages([user("x")], { maxContextSize: 10, maxTokens: 10 }),
    ConfigError,
  );
});

/** A history of `n` short turns, a tool call and its result every tenth message. */
function longHistory(n: number, size = 1): ChatMessage[] {
  const messages: ChatMessage[] = [sys("s")];
  for (let i = 1; i < n; i++) {
    const text = `message ${i} `.repeat(size);
    if (i % 10 === 3) {
      messages.push(call(`c${i}`, "lookup"), {
        ...result(`c${i}`),
        content: text,
      });
      i++;
    } else messages.push(i % 2 ? user(text) : bot(text));
  }
  messages.push(user("Summarise."));
  return messages;
}

Deno.test("truncateMessages() counts only what can stay: as many texts for 100,000 messages as for 1,000", () => {
  for (const renderer of [undefined, "vllm"] as const) {
    const counted: number[] = [];
    for (const n of [1_000, 100_000]) {
      let calls = 0;
      // A new tokenizer each time: nothing is remembered from another run.
      const counting: Tokenizer = { count: (text) => (calls++, text.length) };
      const out = truncateMessages(longHistory(n), {
        maxContextSize: 8192,
        tokenizer: counting,
        currentDate,
        ...(renderer ? { renderer } : {}),
      });
      assert.ok(out.dropped.length > 0);
      assert.ok(out.promptTokens <= out.budget);
      counted.push(calls);
    }
    // The same window holds as many of the newest messages (their texts
    // are a little longer), whatever came before.
    assert.ok(
      counted[1] <= counted[0] * 1.1,
      `${renderer ?? "template"}: ${counted.join(" and ")} tokenizer calls`,
    );
  }
});

Deno.test("truncateMessages() remembers each message: the same history again counts no message, a turn more counts only it", () => {
  for (const renderer of [undefined, "vllm", "vllm-0.22"] as const) {
    const seen: string[] = [];
    const counting: Tokenizer = {
      count: (text) => (seen.push(text), text.length),
    };
    const options = {
      maxContextSize: 8192,
      tokenizer: counting,
      currentDate,
      ...(renderer ? { renderer } : {}),
    };
    const messages = longHistory(2_000);
    const first = truncateMessages(messages, options);
    const fixedTexts = (() => {
      seen.length = 0;
      truncateMessages([messages[0]], options);
      return seen.length;
    })();
    seen.length = 0;
    const again = truncateMessages(messages, options);
    assert.deepEqual(again, first);
    assert.ok(
      seen.length <= fixedTexts,
      `${seen.length} texts counted again: ${seen.slice(0, 5).join(" | ")}`,
    );
    // One turn more: its two messages are counted, nothing older.
    const next = [...messages, bot("Done."), user("And now?")];
    seen.length = 0;
    const later = truncateMessages(next, options);
    assert.ok(
      seen.filter((t) => t.includes("message ")).length === 0,
      `old messages counted again: ${seen.join(" | ")}`,
    );
    assert.ok(seen.includes("Done.") && seen.includes("And now?"));
    // And what it found equals a count from scratch.
    assert.equal(later.promptTokens, tokens(later.kept, renderer));
  }
});

Deno.test("truncateMessages() counts a message changed in place again", () => {
  for (const renderer of [undefined, "vllm"] as const) {
    const options = {
      maxContextSize: 2000,
      maxTokens: 500,
      tokenizer,
      currentDate,
      ...(renderer ? { renderer } : {}),
    };
    const messages = longHistory(400);
    truncateMessages(messages, options);
    const last = messages.length - 2;
    const changes: ((m: ChatMessage) => void)[] = [
      (m) => m.content = `${m.content}`.repeat(3),
      (m) => m.content = [{ type: "text", text: "now in parts" }],
      (m) => {
        if (Array.isArray(m.content)) {
          m.content[0] = { type: "text", text: "x" };
        }
      },
      (m) => m.reasoning = "second thoughts",
      (m) => m.role = "user",
    ];
    for (const change of changes) {
      change(messages[last]);
      const out = truncateMessages(messages, options);
      assert.equal(out.promptTokens, tokens(out.kept, renderer));
    }
    // A tool call's arguments changed in place.
    const caller = messages.findLast((m) => m.tool_calls?.length)!;
    caller.tool_calls![0].function.arguments = '{"query":"a much longer one"}';
    const out = truncateMessages(messages, options);
    assert.equal(out.promptTokens, tokens(out.kept, renderer));
  }
});

Deno.test("truncateMessages() checks the messages it reads, and the role of every other", () => {
  const messages = longHistory(3_000);
  // An old message with bad content is dropped unread…
  messages[5] = { role: "user", content: 42 } as unknown as ChatMessage;
  const out = truncateMessages(messages, { tokenizer, currentDate });
  assert.ok(out.dropped.includes(messages[5]));
  // …one with no known role is an error wherever it is in a list read the
  // first time (a new array after an edit in place: history_scan.ts)…
  messages[5] = { role: "bot", content: "hi" } as unknown as ChatMessage;
  assert.throws(
    () => truncateMessages([...messages], { tokenizer, currentDate }),
    (e: unknown) =>
      e instanceof InvalidMessageError &&
      e.index === 5,
  );
  messages[5] = null as unknown as ChatMessage;
  assert.throws(
    () => truncateMessages([...messages], { tokenizer, currentDate }),
    InvalidMessageError,
  );
  // …or where the list grew since it was read…
  const grown = [...longHistory(3_000)];
  truncateMessages(grown, { tokenizer, currentDate });
  const at =
    grown.push({ role: "bot", content: "hi" } as unknown as ChatMessage) -
    1;
  assert.throws(
    () => truncateMessages(grown, { tokenizer, currentDate }),
    (e: unknown) => e instanceof InvalidMessageError && e.index === at,
  );
  // …and one that would be kept is checked in full, in a list read before too.
  messages[5] = user("ok");
  const read = [...messages];
  truncateMessages(read, { tokenizer, currentDate });
  read[read.length - 3] = {
    role: "assistant",
    content: [{ type: "text" }],
  } as unknown as ChatMessage;
  assert.throws(
    () => truncateMessages(read, { tokenizer, currentDate }),
    InvalidMessageError,
  );
});

// Random well-formed histories: units of system, user, assistant, and
// tool-calling assistant messages followed by their results.
const word = fc.string({
  unit: fc.constantFrom("a", "b", " ", "\u00e9", "\u4e2d"),
  minLength: 1,
  maxLength: 40,
});
const unit = fc.oneof(
  { weight: 1, arbitrary: word.map((t) => [sys(t)]) },
  { weight: 4, arbitrary: word.map((t) => [user(t)]) },
  { weight: 4, arbitrary: word.map((t) => [bot(t)]) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), word).map(([k, t]) => {
      const id = `c${t.length}`;
      const caller: ChatMessage = {
        role: "assistant",
        content: null,
        reasoning: t,
        tool_calls: Array.from({ length: k }, (_, j) => ({
          id: `${id}_${j}`,
          type: "function" as const,
          function: { name: `f${j}`, arguments: `{"q":"${t.length}"}` },
        })),
      };
      return [
        caller,
        ...Array.from(
          { length: k },
          (_, j) => ({ ...result(`${id}_${j}`), content: t }),
        ),
      ];
    }),
  },
);
const history = fc.array(unit, { minLength: 1, maxLength: 10 }).map((units) =>
  units.flat()
);

/**
 * Where each turn starts: at a user message; before the first one, each
 * message is a unit of its own but a tool result, which belongs to its call.
 */
function unitStarts(messages: ChatMessage[]): number[] {
  const firstUser = messages.findIndex((m) => m.role === "user");
  const starts: number[] = [];
  messages.forEach((m, i) => {
    const beforeUsers = firstUser === -1 || i < firstUser;
    if (beforeUsers ? m.role !== "tool" : m.role === "user") starts.push(i);
  });
  return starts;
}

/**
 * The reference: pin what must stay, then take the longest suffix of whole
 * units whose conversation, rendered and counted from scratch, fits.
 */
function bruteForce(
  messages: ChatMessage[],
  budget: number,
  keepFirst: boolean,
  renderer?: Renderer,
): ChatMessage[] | undefined {
  const pinned = new Set<number>();
  messages.forEach((m, i) => {
    if (m.role === "system") pinned.add(i);
  });
  let latest = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === "user") {
      latest = i;
      break;
    }
  }
  if (latest >= 0) {
    for (let i = latest; i < messages.length; i++) pinned.add(i);
  } else {
    const starts = unitStarts(messages);
    for (let i = starts.at(-1)!; i < messages.length; i++) pinned.add(i);
  }
  if (keepFirst) {
    const first = messages.findIndex((m) => m.role === "user");
    if (first >= 0) pinned.add(first);
  }
  for (
    const start of [...unitStarts(messages), messages.length].sort((a, b) =>
      a - b
    )
  ) {
    const kept = messages.filter((_, i) => pinned.has(i) || i >= start);
    if (tokens(kept, renderer) <= budget) return kept;
  }
  return undefined;
}

Deno.test("truncateMessages() keeps its promises on random histories and equals the brute-force reference", () => {
  let truncated = 0;
  fc.assert(
    fc.property(
      history,
      fc.integer({ min: 60, max: 700 }),
      fc.boolean(),
      fc.constantFrom<Renderer | undefined>(
        undefined,
        "vllm",
        "vllm-0.30",
        "vllm-0.22",
      ),
      (messages, room, keepFirst, renderer) => {
        const fixed = tokens([], renderer);
        const options = {
          maxContextSize: fixed + room + 20,
          maxTokens: 20,
          tokenizer,
          currentDate,
          keepFirstUserMessage: keepFirst,
          shortenOversized: false,
          ...(renderer ? { renderer } : {}),
        };
        const expected = bruteForce(
          messages,
          fixed + room,
          keepFirst,
          renderer,
        );
        let out;
        try {
          out = truncateMessages(messages, options);
        } catch (error) {
          assert.ok(error instanceof ContextSizeError);
          assert.equal(expected, undefined, "the reference found a way to fit");
          return;
        }
        if (out.dropped.length) truncated++;
        // It fits, and says so truthfully.
        assert.ok(out.promptTokens <= out.budget);
        assert.equal(out.promptTokens, tokens(out.kept, renderer));
        // Order is kept, nothing is lost, nothing is duplicated.
        assert.deepEqual(
          out.kept,
          messages.filter((m) => out.kept.includes(m)),
        );
        assert.equal(out.kept.length + out.dropped.length, messages.length);
        // Every system message and the latest user message stay.
        for (const m of messages) {
          if (m.role === "system") {
            assert.ok(out.kept.includes(m));
          }
        }
        const latestUser = messages.findLast((m) => m.role === "user");
        if (latestUser) assert.ok(out.kept.includes(latestUser));
        if (keepFirst) {
          const firstUser = messages.find((m) => m.role === "user");
          if (firstUser) assert.ok(out.kept.includes(firstUser));
        }
        // No tool result without its call, no call without its results.
        messages.forEach((m, i) => {
          if (m.role !== "tool") return;
          let j = i;
          while (messages[j].role === "tool") j--;
          assert.equal(
            out.kept.includes(m),
            out.kept.includes(messages[j]),
            "tool unit split",
          );
        });
        // No answer without its question: a kept message of a turn has the
        // user message that opened the turn kept too.
        const turnOf = (i: number) => {
          for (let j = i; j >= 0; j--) {
            if (messages[j].role === "user") return j;
          }
          return -1;
        };
        messages.forEach((m, i) => {
          const opened = turnOf(i);
          if (m.role === "system" || opened === -1) return;
          if (out.kept.includes(m)) {
            assert.ok(out.kept.includes(messages[opened]), "a turn was split");
          }
        });
        // And it is exactly what the reference keeps.
        assert.deepEqual(out.kept, expected);
      },
    ),
    { numRuns: 1500, seed: 4242 },
  );
  assert.ok(truncated > 300, `only ${truncated} runs needed truncation`);
});

Deno.test("truncateMessages() fits whatever it shortens on random oversize messages", () => {
  fc.assert(
    fc.property(
      history,
      fc.integer({ min: 200, max: 4000 }),
      fc.integer({ min: 150, max: 600 }),
      (messages, size, room) => {
        const big = user("lorem ipsum ".repeat(size));
        const all = [...messages, big];
        const fixed = tokens([]);
        let out;
        try {
          out = truncateMessages(all, {
            maxContextSize: fixed + room + 20,
            maxTokens: 20,
            tokenizer,
            currentDate,
          });
        } catch (error) {
          assert.ok(error instanceof ContextSizeError);
          return;
        }
        assert.ok(out.promptTokens <= out.budget);
        assert.equal(out.promptTokens, tokens(out.kept));
        for (const s of out.shortened) assert.ok(out.kept.includes(s.message));
      },
    ),
    { numRuns: 200, seed: 7 },
  );
});
