import assert from "node:assert/strict";
import {
  type ChatMessage,
  ContextSizeError,
  countMessageTokens,
  GptOssClient,
  InvalidMessageError,
} from "../mod.ts";
import { startMockServer } from "../testing/mod.ts";
import { recordingLogger, seededRandom } from "./_helpers.ts";
import { fitToContext } from "../src/context/fit.ts";

const tokenizer = { count: (text: string) => text.length };

function history(turns: number): ChatMessage[] {
  const messages: ChatMessage[] = [{
    role: "system",
    content: "You are terse.",
  }];
  for (let i = 0; i < turns; i++) {
    messages.push({ role: "user", content: `question ${i} `.padEnd(100, ".") });
    messages.push({
      role: "assistant",
      content: `answer ${i} `.padEnd(100, "."),
    });
  }
  messages.push({ role: "user", content: "And now?" });
  return messages;
}

Deno.test("the client drops the oldest turns to fit the window, says so, and sends the rest", async () => {
  await using server = await startMockServer();
  const logger = recordingLogger();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxContextSize: 1000,
    maxTokens: 200,
    tokenizer,
    logger,
  });
  const messages = history(10);
  const completion = await client.generateResponse(messages);
  const sent =
    (server.requests[0].body as { messages: ChatMessage[] }).messages;
  assert.deepEqual(sent[0], messages[0]);
  assert.deepEqual(sent.at(-1), messages.at(-1));
  assert.deepEqual(
    sent.slice(1),
    messages.slice(messages.length - sent.length + 1),
  );
  assert.equal(
    completion.truncation!.dropped.length,
    messages.length - sent.length,
  );
  assert.deepEqual(
    completion.truncation!.dropped,
    messages.slice(1, 1 + completion.truncation!.dropped.length),
  );
  assert.equal(completion.truncation!.budget, 800);
  assert.ok(completion.truncation!.promptTokens <= 800);
  const info = logger.lines.find((l) =>
    l.level === "info" && l.message.startsWith("Dropped")
  );
  assert.match(
    info!.message,
    new RegExp(
      `Dropped ${
        completion.truncation!.dropped.length
      } of ${messages.length} messages`,
    ),
  );

  const stream = client.streamResponse(messages);
  assert.deepEqual(stream.truncation, completion.truncation);
  await stream.completion();
  assert.deepEqual(
    (server.requests[1].body as { messages: ChatMessage[] }).messages,
    sent,
  );
});

Deno.test("the client sends a conversation that fits unchanged, with no truncation", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    tokenizer,
    maxContextSize: 100_000,
  });
  const messages = history(10);
  const completion = await client.generateResponse(messages);
  assert.equal(completion.truncation, undefined);
  assert.deepEqual(
    (server.requests[0].body as { messages: ChatMessage[] }).messages,
    messages,
  );
});

Deno.test("contextOverflow 'error' throws ContextSizeError with the counts, before any request", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxContextSize: 1000,
    maxTokens: 200,
    tokenizer,
    contextOverflow: "error",
  });
  await assert.rejects(
    client.generateResponse(history(10)),
    (error: unknown) => {
      assert.ok(error instanceof ContextSizeError);
      assert.equal(error.maxContextSize, 1000);
      assert.equal(error.maxTokens, 200);
      assert.ok(error.promptTokens! > 800);
      assert.match(
        error.message,
        /the prompt needs \d+ tokens plus 200 for the answer, the context window is 1000/,
      );
      return true;
    },
  );
  assert.throws(() => client.streamResponse(history(10)), ContextSizeError);
  // The policy can be changed per call.
  await client.generateResponse(history(10), { contextOverflow: "truncate" });
  assert.equal(server.requests.length, 1);
});

Deno.test("the client shortens an oversize latest message, and fails only when the system prompt cannot fit", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxContextSize: 1000,
    maxTokens: 200,
    tokenizer,
  });
  const messages: ChatMessage[] = [
    { role: "system", content: "Be brief." },
    { role: "user", content: "start " + "x".repeat(2000) + " end" },
  ];
  const answer = await client.generateResponse(messages);
  assert.equal(answer.truncation?.shortened.length, 1);
  assert.ok(answer.truncation!.promptTokens <= 800);
  const sent = server.requests[0].body as { messages: ChatMessage[] };
  const text = sent.messages[1].content as string;
  assert.ok(text.startsWith("start xxx") && text.endsWith("xxx end"));
  assert.match(text, /characters omitted to fit the context window/);
  // A system prompt is never shortened: too long a one fails before any request.
  await assert.rejects(
    client.generateResponse([{ role: "system", content: "s".repeat(2000) }, {
      role: "user",
      content: "hi",
    }]),
    ContextSizeError,
  );
  // A per-call maxTokens changes the budget.
  // 850 tokens: over the 800 left by maxTokens 200, within the 900 left by 100.
  const framing = countMessageTokens([{ role: "user", content: "" }], {
    tokenizer,
  });
  const fits: ChatMessage[] = [{
    role: "user",
    content: "x".repeat(850 - framing),
  }];
  await assert.rejects(
    client.generateResponse(fits, { contextOverflow: "error" }),
    ContextSizeError,
  );
  await client.generateResponse(fits, {
    maxTokens: 100,
    contextOverflow: "error",
  });
  assert.equal(server.requests.length, 2);
});

Deno.test("the client keeps the first user message when asked, per client or per call", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxContextSize: 1000,
    maxTokens: 200,
    tokenizer,
    keepFirstUserMessage: true,
  });
  const messages = history(10);
  messages.splice(1, 0, {
    role: "user",
    content: "The task: count the questions.",
  });
  await client.generateResponse(messages);
  const sent =
    (server.requests[0].body as { messages: ChatMessage[] }).messages;
  assert.equal(sent[1].content, "The task: count the questions.");
  assert.equal(sent.at(-1)!.content, "And now?");
  await client.generateResponse(messages, { keepFirstUserMessage: false });
  const plain =
    (server.requests[1].body as { messages: ChatMessage[] }).messages;
  assert.notEqual(plain[1].content, "The task: count the questions.");
});

// The client's fitting on its own: what it counts for each request.
function fitWith(count: (text: string) => number, maxContextSize = 8192) {
  // One tokenizer for every request, as a client has.
  const tokenizer = { count };
  return (messages: ChatMessage[]) =>
    fitToContext(messages, {
      maxContextSize,
      maxTokens: 1024,
      tokenizer,
      template: { currentDate: "2025-08-05" },
      policy: {
        contextOverflow: "truncate",
        keepReasoning: false,
        keepFirstUserMessage: false,
      },
      logger: recordingLogger(),
    });
}

Deno.test("the client's fitting reads only the newest messages of a long history", () => {
  const counted = [1_000, 100_000].map((turns) => {
    let calls = 0;
    const fit = fitWith((text) => (calls++, text.length));
    const fitted = fit(history(turns / 2));
    assert.ok(fitted.truncation && fitted.truncation.dropped.length > 0);
    return calls;
  });
  assert.ok(counted[1] <= counted[0] * 1.1, counted.join(" and "));
});

Deno.test("a 200-turn tool-calling agent replayed turn by turn: each request counts only its new messages", () => {
  const seen: string[] = [];
  const fit = fitWith((text) => (seen.push(text), text.length), 16_384);
  const messages: ChatMessage[] = [
    { role: "system", content: "You are an agent with tools." },
    { role: "user", content: "Find the cheapest flight, step by step." },
  ];
  const newTexts: number[] = [];
  for (let turn = 0; turn < 200; turn++) {
    const id = `call_${turn}`;
    messages.push({
      role: "assistant",
      content: null,
      reasoning: `Step ${turn}: I should search again.`,
      tool_calls: [{
        id,
        type: "function",
        function: { name: "search", arguments: `{"page":${turn}}` },
      }],
    });
    messages.push({
      role: "tool",
      tool_call_id: id,
      content: `page ${turn}: ${"fare ".repeat(30)}`,
    });
    if (turn % 20 === 19) {
      messages.push({ role: "assistant", content: `So far ${turn}.` });
      messages.push({ role: "user", content: `Go on (${turn}).` });
    }
    seen.length = 0;
    const fitted = fit(messages);
    // What was sent equals a count from scratch.
    assert.equal(
      fitted.promptTokens,
      countMessageTokens(fitted.messages, {
        tokenizer: { count: (text: string) => text.length },
        currentDate: "2025-08-05",
      }),
      `turn ${turn}`,
    );
    // Earlier turns' reasoning is not sent; the exchange in progress keeps its.
    const latestUser = fitted.messages.findLastIndex((m) => m.role === "user");
    fitted.messages.forEach((m, i) => {
      if (m.role === "assistant" && m.tool_calls) {
        assert.equal(Boolean(m.reasoning), i > latestUser, `turn ${turn}`);
      }
    });
    newTexts.push(
      seen.filter((t) => /page|Step|search|So far|Go on/.test(t)).length,
    );
  }
  // The texts of the two new messages; when a new user message closes a
  // round, its twenty calls once more, since their reasoning stops being
  // sent (new prompt text); never the whole history.
  newTexts.forEach((n, turn) => {
    const closesRound = turn % 20 === 19;
    assert.ok(n <= (closesRound ? 2 * 20 + 6 : 6), `turn ${turn}: ${n}`);
  });
});

/**
 * A history of random turns (questions, answers, tool calls with their
 * results), each message's text a random length, with one message replaced
 * at `at` by `replace(message)` (the same role and tool calls).
 */
function randomHistory(
  seed: number,
  at = -1,
  replace = (m: ChatMessage): ChatMessage => m,
): ChatMessage[] {
  const random = seededRandom(seed);
  const text = (tag: string) => `${tag} `.padEnd(20 + random() * 200, "~");
  const messages: ChatMessage[] = [{ role: "system", content: "Be terse." }];
  for (let turn = 0; messages.length < 80; turn++) {
    messages.push({ role: "user", content: text(`q${turn}`) });
    if (random() < 0.4) {
      const id = `call_${turn}`;
      messages.push({
        role: "assistant",
        content: null,
        tool_calls: [{
          id,
          type: "function",
          function: { name: "look", arguments: `{"n":${turn}}` },
        }],
      });
      messages.push({ role: "tool", tool_call_id: id, content: text("r") });
    }
    messages.push({ role: "assistant", content: text(`a${turn}`) });
  }
  if (at >= 0) messages[at] = replace(messages[at]);
  return messages;
}

Deno.test("the client checks whole every message it sends, and an older one it drops unread for a role only", async () => {
  await using server = await startMockServer();
  const call = (tokenizer: { count(text: string): number }) =>
    new GptOssClient({
      baseUrl: server.url,
      model: "m",
      maxContextSize: 1500,
      maxTokens: 200,
      tokenizer,
    });
  let rejected = 0, accepted = 0;
  for (let seed = 1; seed <= 4; seed++) {
    for (let at = 1; at < 80; at++) {
      // The reference: the same history with a well-formed stand-in at
      // `at` (its text, or a call's arguments, marked); up to that message
      // the fitting reads both alike, so the malformed one is read (and
      // must be refused) exactly when the stand-in is counted.
      let read = false;
      const standIn = randomHistory(seed, at, (m) =>
        m.tool_calls
          ? {
            ...m,
            tool_calls: [{
              ...m.tool_calls[0],
              function: { name: "look", arguments: '"STAND-IN"' },
            }],
          }
          : { ...m, content: "STAND-IN" });
      const reference = await call({
        count: (text) => (read ||= text.includes("STAND-IN"), text.length),
      }).generateResponse(standIn);
      const malformed = randomHistory(seed, at, (m) => ({
        ...m,
        content: 42,
      } as unknown as ChatMessage));
      const before = server.requests.length;
      const client = call({ count: (text) => text.length });
      const streamed = at % 2 === 0;
      const answer = streamed
        ? Promise.resolve().then(() => client.streamResponse(malformed))
          .then((stream) => stream.completion())
        : client.generateResponse(malformed);
      const where = `seed ${seed}, message ${at}`;
      if (read) {
        rejected++;
        await assert.rejects(
          answer,
          (error: unknown) =>
            error instanceof InvalidMessageError && error.index === at &&
            /content must be a string/.test(error.message),
          where,
        );
        assert.equal(server.requests.length, before, where);
      } else {
        accepted++;
        const completion = await answer;
        assert.ok(
          completion.truncation!.dropped.includes(malformed[at]),
          where,
        );
        assert.deepEqual(
          completion.truncation!.dropped.length,
          reference.truncation!.dropped.length,
          where,
        );
        const sent = server.requests.at(-1)!.body as { messages: unknown[] };
        assert.ok(!JSON.stringify(sent.messages).includes(":42"), where);
      }
    }
  }
  // Both sides of the boundary were reached, on every seed's own boundary.
  assert.ok(rejected > 20 && accepted > 100, `${rejected} and ${accepted}`);
});

Deno.test('the client checks every message whole when it cannot fit at once: an unknown role anywhere, "auto", contextOverflow "error"', async () => {
  await using server = await startMockServer();
  const badContent = randomHistory(7, 2, (m) => ({
    ...m,
    content: 42,
  } as unknown as ChatMessage));
  const badRole = randomHistory(7, 2, (m) => ({
    ...m,
    role: "robot",
  } as unknown as ChatMessage));
  const clients = {
    truncating: { maxContextSize: 1500 },
    auto: { maxContextSize: "auto" as const },
    failing: { maxContextSize: 100_000, contextOverflow: "error" as const },
  };
  for (const [name, settings] of Object.entries(clients)) {
    const client = new GptOssClient({
      baseUrl: server.url,
      model: "m",
      maxTokens: 200,
      tokenizer: { count: (text) => text.length },
      ...settings,
    });
    const cases = name === "truncating" ? [badRole] : [badRole, badContent];
    for (const messages of cases) {
      assert.throws(
        () => client.streamResponse(messages),
        (error: unknown) =>
          error instanceof InvalidMessageError &&
          error.index === 2,
        name,
      );
      await assert.rejects(
        client.generateResponse(messages),
        (error: unknown) =>
          error instanceof InvalidMessageError &&
          error.index === 2,
        name,
      );
    }
  }
  assert.equal(server.requests.length, 0);
});
