/**
 * Every fault of the fault-injecting mock server, and exactly what the
 * caller gets: the table in the README, proven on real sockets.
 */
import assert from "node:assert/strict";
import {
  AbortError,
  ApiError,
  type ChatCompletion,
  ConnectionError,
  ContextSizeError,
  GptOssClient,
  type GptOssConfig,
  InvalidResponseError,
  TimeoutError,
} from "../mod.ts";
import {
  chatCompletionStream,
  type MockServer,
  startMockServer,
} from "../testing/mod.ts";
import { closedPort, recordingLogger } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "Tell me a story." }];
const story = {
  reasoning: "A short one.",
  content: "Once upon a time, the end.",
};

function client(server: MockServer | string, config: GptOssConfig = {}) {
  const logger = recordingLogger();
  const c = new GptOssClient({
    baseUrl: typeof server === "string" ? server : server.url,
    model: "m",
    logger,
    ...config,
  });
  return { client: c, logger };
}

const chats = (server: MockServer) =>
  server.requests.filter((r) => r.path === "/v1/chat/completions").length;

const retries = (logger: ReturnType<typeof recordingLogger>) =>
  logger.lines.filter((l) =>
    l.level === "info" && l.message.startsWith("Retrying")
  );

Deno.test("refused connection: ConnectionError after the retries, each logged", async () => {
  const { client: c, logger } = client(`http://127.0.0.1:${closedPort()}`, {
    maxRetries: 1,
  });
  await assert.rejects(c.generateResponse(ask), (error: unknown) => {
    assert.ok(error instanceof ConnectionError, String(error));
    assert.equal(error.beforeResponse, true);
    assert.match(error.message, /Cannot reach/);
    return true;
  });
  assert.equal(retries(logger).length, 1);
  assert.match(retries(logger)[0].message, /retry 1 of 1/);
});

Deno.test("hang-up before any byte: tried again, and the answer arrives", async () => {
  await using server = await startMockServer();
  server.failConnection("hang-up");
  server.failConnection("hang-up");
  const { client: c, logger } = client(server);
  const answer = await c.generateResponse(ask);
  assert.match(answer.choices[0].message.content!, /mock server/);
  assert.equal(retries(logger).length, 2);
  assert.equal(chats(server), 1, "the hung-up connections never reached HTTP");
});

Deno.test("hang-up on every try: ConnectionError once the retries are spent", async () => {
  await using server = await startMockServer();
  for (let i = 0; i < 3; i++) server.failConnection("hang-up");
  const { client: c } = client(server, { maxRetries: 2 });
  await assert.rejects(c.generateResponse(ask), ConnectionError);
  assert.equal(chats(server), 0);
});

Deno.test("garbage bytes instead of HTTP: a connection failure, tried again", async () => {
  await using server = await startMockServer();
  server.failConnection({ garbage: "\x00\xff\x13 not HTTP at all\r\n\r\n" });
  const { client: c, logger } = client(server);
  const answer = await c.generateResponse(ask);
  assert.ok(answer.choices[0].message.content);
  assert.equal(retries(logger).length, 1);
  server.failConnection({ garbage: "SSH-2.0-OpenSSH_9.6\r\n" });
  const { client: once } = client(server, { maxRetries: 0 });
  await assert.rejects(once.generateResponse(ask), ConnectionError);
});

Deno.test("429 with retry-after-ms, then success: waits what the server asks", async () => {
  await using server = await startMockServer();
  server.enqueue({
    status: 429,
    headers: { "retry-after-ms": "40", "retry-after": "1" },
    json: { error: { message: "Too many requests", type: "rate_limit" } },
  });
  const { client: c, logger } = client(server);
  await c.generateResponse(ask);
  assert.equal(chats(server), 2);
  assert.match(
    retries(logger)[0].message,
    /in 40 ms \(retry 1 of 2\): The server answered 429/,
  );
});

Deno.test("503 then success, streamed: the stream starts after the retry", async () => {
  await using server = await startMockServer();
  server.enqueue({
    status: 503,
    headers: { "retry-after": "0" },
    json: {
      object: "error",
      message: "Loading model",
      type: "ServiceUnavailable",
      code: 503,
    },
  });
  server.enqueue({ sse: chatCompletionStream(story), writes: "event" });
  const { client: c, logger } = client(server);
  const completion = await c.streamResponse(ask).completion();
  assert.equal(completion.choices[0].message.content, story.content);
  assert.equal(retries(logger).length, 1);
});

Deno.test("500 on every try: ApiError after maxRetries + 1 requests; other 4xx never retried", async () => {
  await using server = await startMockServer();
  for (let i = 0; i < 3; i++) {
    server.enqueue({
      status: 500,
      headers: { "retry-after": "0" },
      json: { error: "boom" },
    });
  }
  const { client: c } = client(server, { maxRetries: 2 });
  await assert.rejects(
    c.generateResponse(ask),
    (error: unknown) => error instanceof ApiError && error.status === 500,
  );
  assert.equal(chats(server), 3);
  for (const status of [400, 401, 403, 404, 422]) {
    server.enqueue({ status, json: { error: { message: `no (${status})` } } });
    const before = chats(server);
    await assert.rejects(c.generateResponse(ask), ApiError);
    assert.equal(chats(server), before + 1, `${status} was retried`);
  }
  // maxRetries 0 per call turns retries off.
  server.enqueue({ status: 503, json: { error: "busy" } });
  const before = chats(server);
  await assert.rejects(c.generateResponse(ask, { maxRetries: 0 }), ApiError);
  assert.equal(chats(server), before + 1);
});

Deno.test("abort while waiting to retry: AbortError at once", async () => {
  await using server = await startMockServer();
  server.enqueue({
    status: 503,
    headers: { "retry-after": "30" },
    json: { error: "busy" },
  });
  const controller = new AbortController();
  const logger = recordingLogger();
  const c = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    logger: {
      ...logger,
      info: (message, data) => {
        logger.info(message, data);
        if (message.startsWith("Retrying")) controller.abort();
      },
    },
  });
  await assert.rejects(
    c.generateResponse(ask, { signal: controller.signal }),
    AbortError,
  );
  assert.equal(chats(server), 1);
});

Deno.test("stall before headers: TimeoutError 'headers' with its value, not retried", async () => {
  await using server = await startMockServer();
  server.enqueue({ json: {}, stallMs: 5000 });
  const { client: c } = client(server, { timeout: { headers: 100 } });
  await assert.rejects(c.generateResponse(ask), (error: unknown) => {
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.limit, "headers");
    assert.equal(error.timeoutMs, 100);
    assert.match(error.message, /timeout\.headers/);
    return true;
  });
  assert.equal(chats(server), 1);
});

Deno.test("slow headers within the limit: the answer arrives", async () => {
  await using server = await startMockServer();
  server.enqueue({ sse: chatCompletionStream(story), stallMs: 150 });
  const { client: c } = client(server, {
    timeout: { headers: 2000, idle: 100 },
  });
  const completion = await c.streamResponse(ask).completion();
  assert.equal(completion.choices[0].message.content, story.content);
});

Deno.test("stall before headers with a shorter idle limit: the headers' limit decides, at its time", async () => {
  await using server = await startMockServer();
  server.enqueue({ json: {}, stallMs: 5000 });
  const { client: c } = client(server, {
    timeout: { headers: 300, idle: 100 },
  });
  const started = performance.now();
  await assert.rejects(c.generateResponse(ask), (error: unknown) => {
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.limit, "headers");
    assert.equal(error.timeoutMs, 300);
    return true;
  });
  assert.ok(performance.now() - started >= 290, "not before its limit");
});

Deno.test("stall mid-stream: TimeoutError 'idle' with what arrived, marked incomplete", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream(story),
    writes: "event",
    pauseAfterWrites: 6,
  });
  const { client: c } = client(server, {
    timeout: { headers: 2000, idle: 120 },
  });
  await assert.rejects(c.streamResponse(ask).completion(), (error: unknown) => {
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.limit, "idle");
    assert.equal(error.timeoutMs, 120);
    assert.equal(error.partial?.incomplete, true);
    assert.ok(error.partial?.choices[0].message.reasoning);
    return true;
  });
  assert.equal(chats(server), 1, "a started stream is never retried");
});

Deno.test("a caller slower than the idle limit, then a silent server: the limit still ends the wait", async () => {
  // The wake-up for the idle limit comes while the caller holds a delta (no
  // read waits, so nothing is due and none is kept); the next wait must set
  // one again, or a silent server would hold the stream for ever.
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream(story),
    writes: "event",
    pauseAfterWrites: 3,
  });
  const { client: c } = client(server, {
    timeout: { headers: 2000, idle: 100 },
  });
  const stop = new AbortController();
  const read = (async () => {
    let first = true;
    for await (const _ of c.streamResponse(ask, { signal: stop.signal })) {
      if (first) await new Promise((done) => setTimeout(done, 300));
      first = false;
    }
  })();
  let guard: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((done) => {
    guard = setTimeout(() => done("hung"), 3000);
  });
  try {
    const outcome = await Promise.race([
      read.then(() => "ended", (e) => e),
      hung,
    ]);
    assert.ok(outcome instanceof TimeoutError, String(outcome));
    assert.equal(outcome.limit, "idle");
  } finally {
    clearTimeout(guard);
    stop.abort();
    await read.catch(() => {});
  }
});

Deno.test("the idle limit is the limit: a silence a little longer than it is a timeout", async () => {
  // The server is silent for 1.75 × the limit, then goes on: the client must
  // have given up at the limit, not at some multiple of it.
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream(story),
    writes: "event",
    pauseAfterWrites: 3,
    pauseMs: 700,
  });
  const { client: c } = client(server, {
    timeout: { headers: 2000, idle: 400 },
  });
  await assert.rejects(c.streamResponse(ask).completion(), (error: unknown) => {
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.limit, "idle");
    assert.equal(error.partial?.incomplete, true);
    return true;
  });
});

Deno.test("a stream that drips past the overall deadline: TimeoutError 'total' with what arrived", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream(story),
    writes: "event",
    delayMs: 60,
  });
  const { client: c } = client(server, { timeout: { idle: 1000, total: 300 } });
  await assert.rejects(c.streamResponse(ask).completion(), (error: unknown) => {
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.limit, "total");
    assert.equal(error.timeoutMs, 300);
    assert.equal(error.partial?.incomplete, true);
    return true;
  });
});

Deno.test("one byte per write: the same completion as whole", async () => {
  await using server = await startMockServer();
  server.enqueue({ sse: chatCompletionStream(story), writes: 1 });
  server.enqueue({ sse: chatCompletionStream(story) });
  const { client: c } = client(server);
  const dripped = await c.streamResponse(ask).completion();
  const whole = await c.streamResponse(ask).completion();
  const strip = ({ stats: _, ...rest }: ChatCompletion) => rest;
  assert.deepEqual(strip(dripped), strip(whole));
});

Deno.test("reset after N bytes: ConnectionError mid-stream with what arrived, not retried", async () => {
  await using server = await startMockServer();
  const sse = chatCompletionStream(story);
  server.enqueue({
    sse,
    writes: "event",
    resetAfterBytes: sse.indexOf("upon") + 40,
  });
  const { client: c, logger } = client(server);
  await assert.rejects(c.streamResponse(ask).completion(), (error: unknown) => {
    assert.ok(error instanceof ConnectionError, String(error));
    assert.equal(error.beforeResponse, false);
    assert.equal(error.partial?.incomplete, true);
    assert.match(error.partial?.choices[0].message.content ?? "", /^Once/);
    return true;
  });
  assert.equal(retries(logger).length, 0);
  // A JSON answer cut short is not retried either: bytes had arrived.
  server.enqueue({ json: { id: "x", choices: [] }, resetAfterBytes: 5 });
  await assert.rejects(
    c.generateResponse(ask),
    (error: unknown) =>
      error instanceof ConnectionError && !error.beforeResponse,
  );
  assert.equal(retries(logger).length, 0);
});

Deno.test("an oversize body or event: InvalidResponseError naming the limit", async () => {
  await using server = await startMockServer();
  const { client: c } = client(server, { maxResponseBytes: 2048 });
  server.enqueue({ json: { padding: "x".repeat(10_000) } });
  await assert.rejects(c.generateResponse(ask), (error: unknown) => {
    assert.ok(error instanceof InvalidResponseError, String(error));
    assert.match(error.message, /larger than 2048 bytes.*maxResponseBytes/);
    return true;
  });
  const start =
    chatCompletionStream(story).split("\n\n").slice(0, 3).join("\n\n") + "\n\n";
  server.enqueue({ sse: start + "data: " + "y".repeat(10_000), writes: 512 });
  await assert.rejects(c.streamResponse(ask).completion(), (error: unknown) => {
    assert.ok(error instanceof InvalidResponseError, String(error));
    assert.match(error.message, /longer than 2048 characters/);
    assert.ok(error.partial, "what arrived before is kept");
    return true;
  });
});

Deno.test("a wrong content type: valid JSON is read, anything else is named", async () => {
  await using server = await startMockServer();
  const { client: c } = client(server);
  server.enqueue({
    text: JSON.stringify({
      id: "c",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{
        index: 0,
        message: { role: "assistant", content: "fine" },
        finish_reason: "stop",
      }],
    }),
    headers: { "content-type": "text/plain" },
  });
  const answer = await c.generateResponse(ask);
  assert.equal(answer.choices[0].message.content, "fine");
  server.enqueue({ text: "OK", headers: { "content-type": "text/plain" } });
  await assert.rejects(
    c.generateResponse(ask),
    (error: unknown) =>
      error instanceof InvalidResponseError &&
      /not JSON \(text\/plain\)/.test(error.message) &&
      error.body === "OK",
  );
});

Deno.test("a JSON error body with status 200 for a streamed request: the typed error", async () => {
  await using server = await startMockServer();
  const { client: c } = client(server);
  server.enqueue({
    json: { error: { message: "model is loading", type: "unavailable" } },
  });
  await assert.rejects(
    c.streamResponse(ask).completion(),
    (error: unknown) =>
      error instanceof ApiError && error.serverMessage === "model is loading",
  );
  server.enqueue({
    json: { error: "the prompt exceeds the context length (9000 > 8192)" },
  });
  await assert.rejects(c.streamResponse(ask).completion(), ContextSizeError);
});
