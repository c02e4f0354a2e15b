import assert from "node:assert/strict";
import {
  AbortError,
  ApiError,
  ConfigError,
  ConnectionError,
  ContextSizeError,
  GptOssClient,
  InvalidMessageError,
  InvalidResponseError,
} from "../mod.ts";
import { chatCompletionBody, startMockServer } from "../testing/mod.ts";
import { closedPort, loadFixture, recordingLogger } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "What is 2 + 2?" }];

Deno.test("generateResponse() returns the answer and the reasoning from either field", async () => {
  for (const field of ["reasoning", "reasoning_content"] as const) {
    await using server = await startMockServer();
    server.enqueue({
      json: chatCompletionBody({
        reasoningField: field,
        reasoning: "2 plus 2 is 4.",
        content: "4",
      }),
    });
    const client = new GptOssClient({
      baseUrl: server.url,
      model: "gpt-oss-20b",
    });
    const completion = await client.generateResponse(ask);
    assert.deepEqual(completion.choices[0].message, {
      role: "assistant",
      content: "4",
      reasoning: "2 plus 2 is 4.",
    });
    assert.equal(completion.choices[0].finish_reason, "stop");
    assert.equal(
      completion.usage?.total_tokens,
      completion.usage!.prompt_tokens + completion.usage!.completion_tokens,
    );
  }
});

Deno.test("generateResponse() keeps one reasoning when a server sends both fields, `reasoning` first", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  // The same text in both (vLLM of the rename period): kept once.
  const same = chatCompletionBody({ reasoning: "same text", content: "ok" });
  (same.choices[0].message as Record<string, unknown>).reasoning_content =
    "same text";
  server.enqueue({ json: same });
  const once = await client.generateResponse(ask);
  assert.equal(once.choices[0].message.reasoning, "same text");
  // Different texts: `reasoning`, the newer field, is the one kept.
  const both = chatCompletionBody({ reasoning: "newer field", content: "ok" });
  (both.choices[0].message as Record<string, unknown>).reasoning_content =
    "older field";
  server.enqueue({ json: both });
  const preferred = await client.generateResponse(ask);
  assert.equal(preferred.choices[0].message.reasoning, "newer field");
});

Deno.test("generateResponse() sends the model, messages and sampling fields, overridable per call", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "gpt-oss-120b",
    temperature: 0.2,
    maxTokens: 500,
    apiKey: "sk-test-key",
    headers: { "x-team": "blue" },
  });
  await client.generateResponse(ask);
  await client.generateResponse(ask, {
    temperature: 1,
    maxTokens: 64,
    topP: 0.9,
    seed: 7,
    stop: ["\n\n"],
    model: "other",
    headers: { "x-trace": "abc" },
    extraBody: { reasoning_effort: "low" },
  });
  const [first, second] = server.requests;
  assert.deepEqual(first.body, {
    model: "gpt-oss-120b",
    messages: ask,
    stream: false,
    temperature: 0.2,
    max_tokens: 500,
  });
  assert.deepEqual(second.body, {
    model: "other",
    messages: ask,
    stream: false,
    temperature: 1,
    max_tokens: 64,
    top_p: 0.9,
    seed: 7,
    stop: ["\n\n"],
    reasoning_effort: "low",
  });
  assert.equal(first.headers.authorization, "Bearer sk-test-key");
  assert.equal(first.headers["x-team"], "blue");
  assert.equal(first.headers["content-type"], "application/json");
  assert.equal(second.headers["x-trace"], "abc");
  assert.equal(first.headers["x-trace"], undefined);
  // A call's headers add to the client's, they do not replace them.
  assert.equal(second.headers["x-team"], "blue");
  assert.equal(second.headers.authorization, "Bearer sk-test-key");
  // And a call's header of the same name wins.
  await client.generateResponse(ask, { headers: { "x-team": "red" } });
  assert.equal(server.requests.at(-1)!.headers["x-team"], "red");
});

Deno.test("generateResponse() discovers the model once when there is only one", async () => {
  await using server = await startMockServer({ models: ["gpt-oss:20b"] });
  const client = new GptOssClient({ baseUrl: server.url });
  await Promise.all([
    client.generateResponse(ask),
    client.generateResponse(ask),
  ]);
  await client.generateResponse(ask);
  const paths = server.requests.map((r) => r.path);
  assert.equal(paths.filter((p) => p === "/v1/models").length, 1);
  assert.deepEqual(
    server.requests.filter((r) => r.path === "/v1/chat/completions").map((r) =>
      (r.body as { model: string }).model
    ),
    ["gpt-oss:20b", "gpt-oss:20b", "gpt-oss:20b"],
  );
  assert.equal(client.settings.model, "gpt-oss:20b");
});

Deno.test("generateResponse() picks the one gpt-oss model among several", async () => {
  await using server = await startMockServer({
    models: ["llama3.2", "openai/gpt-oss-120b", "qwen3"],
  });
  await new GptOssClient({ baseUrl: server.url }).generateResponse(ask);
  assert.equal(
    (server.requests[1].body as { model: string }).model,
    "openai/gpt-oss-120b",
  );
});

Deno.test("generateResponse() lists the ids when it cannot tell which model to use", async () => {
  await using server = await startMockServer({
    models: ["gpt-oss-20b", "gpt-oss-120b", "llama"],
  });
  const client = new GptOssClient({ baseUrl: server.url });
  await assert.rejects(client.generateResponse(ask), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.field, "model");
    assert.match(
      error.message,
      /"gpt-oss-20b", "gpt-oss-120b"\. Set the model option/,
    );
    return true;
  });
  // A failed discovery is tried again on the next call.
  await assert.rejects(client.generateResponse(ask), ConfigError);
  assert.equal(
    server.requests.filter((r) => r.path === "/v1/models").length,
    2,
  );
});

Deno.test("generateResponse() says so when the server lists no model", async () => {
  await using server = await startMockServer({ models: [] });
  await assert.rejects(
    new GptOssClient({ baseUrl: server.url }).generateResponse(ask),
    /lists no models\. Load a gpt-oss model on it, or set the model option/,
  );
});

Deno.test("generateResponse() rejects malformed messages before any request", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const cases: [unknown, number, RegExp][] = [
    ["hello", -1, /must be an array/],
    [[], -1, /messages is empty/],
    [[null], 0, /expected an object/],
    [[{ content: "hi" }], 0, /has no role/],
    [[{ role: "robot", content: "hi" }], 0, /unknown role "robot"/],
    [
      [{ role: "user", content: "ok" }, { role: "user", content: 42 }],
      1,
      /content must be a string or an array of parts/,
    ],
    [
      [{ role: "user", content: [{ text: "no type" }] }],
      0,
      /content\[0\] must be an object with a type/,
    ],
    [
      [{ role: "user", content: [{ type: "text" }] }],
      0,
      /text part without a text string/,
    ],
    [[{ role: "assistant", content: null }], 0, /content must be a string/],
  ];
  for (const [messages, index, message] of cases) {
    await assert.rejects(
      client.generateResponse(messages as never),
      (error: unknown) =>
        error instanceof InvalidMessageError && error.index === index &&
        message.test(error.message),
      JSON.stringify(messages),
    );
  }
  // An assistant message that only calls tools may have no content.
  await client.generateResponse([
    { role: "user", content: "weather?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{
        id: "c1",
        type: "function",
        function: { name: "w", arguments: "{}" },
      }],
    },
    { role: "tool", tool_call_id: "c1", content: "sunny" },
  ]);
  assert.equal(server.requests.length, 1);
});

Deno.test("generateResponse() raises ConnectionError, saying what to do, when nothing listens", async () => {
  const url = `http://127.0.0.1:${closedPort()}`;
  const client = new GptOssClient({
    baseUrl: url,
    model: "m",
    logger: recordingLogger(),
  });
  await assert.rejects(client.generateResponse(ask), (error: unknown) => {
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.url, `${url}/v1/chat/completions`);
    assert.match(
      error.message,
      /Cannot reach .* Is a server running there\? Set baseUrl/,
    );
    return true;
  });
});

Deno.test("generateResponse() raises ApiError with the server's message, whatever its error shape", async () => {
  await using server = await startMockServer();
  // No retries: each error answer reaches the caller as it is.
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxRetries: 0,
  });
  const shapes: [number, unknown, string][] = [
    [404, {
      error: {
        message: "The model `x` does not exist.",
        type: "NotFoundError",
        code: 404,
      },
    }, "The model `x` does not exist."],
    [400, {
      object: "error",
      message: "bad temperature",
      type: "BadRequestError",
      param: null,
      code: 400,
    }, "bad temperature"],
    [
      404,
      { error: 'model "gpt-oss:20b" not found, try pulling it first' },
      'model "gpt-oss:20b" not found, try pulling it first',
    ],
    [500, {
      error: { code: 500, message: "Internal error", type: "server_error" },
    }, "Internal error"],
  ];
  for (const [status, json, message] of shapes) {
    server.enqueue({ status, json, headers: { "x-request-id": "req-42" } });
    await assert.rejects(client.generateResponse(ask), (error: unknown) => {
      assert.ok(error instanceof ApiError, String(error));
      assert.equal(error.status, status);
      assert.equal(error.serverMessage, message);
      assert.equal(error.body, JSON.stringify(json));
      assert.equal(error.requestId, "req-42");
      return true;
    });
  }
});

Deno.test("generateResponse() reads an HTML error page from a proxy", async () => {
  await using server = await startMockServer();
  server.enqueue({
    status: 502,
    text:
      "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    headers: { "content-type": "text/html" },
  });
  await assert.rejects(
    new GptOssClient({ baseUrl: server.url, model: "m", maxRetries: 0 })
      .generateResponse(ask),
    (error: unknown) =>
      error instanceof ApiError && error.status === 502 &&
      error.serverMessage === "502 Bad Gateway" &&
      error.body.includes("nginx") && /busy or failing/.test(error.message),
  );
});

Deno.test("generateResponse() turns each server's context-length rejection into ContextSizeError", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const expected: Record<string, [number | undefined, number | undefined]> = {
    "llamacpp_context_error.json": [1140, 1024],
    "lmstudio_context_error.json": [13055, 4096],
    "ollama_context_error.json": [undefined, undefined],
    "vllm_context_error.json": [568, 6048],
  };
  for (
    const [name, [promptTokens, maxContextSize]] of Object.entries(expected)
  ) {
    const fixture = await loadFixture(name);
    server.enqueue(fixture);
    await assert.rejects(client.generateResponse(ask), (error: unknown) => {
      assert.ok(error instanceof ContextSizeError, `${name}: ${error}`);
      assert.equal(error.status, 400);
      assert.equal(error.promptTokens, promptTokens, name);
      assert.equal(error.maxContextSize, maxContextSize, name);
      return true;
    });
  }
});

Deno.test("generateResponse() rejects a 200 answer that is not a chat completion", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      {
        text: "<html>welcome</html>",
        headers: { "content-type": "text/html" },
      },
      /not JSON \(text\/html\)/,
    ],
    [{ text: "" }, /an empty body/],
    [{ json: { hello: "world" } }, /no choices array/],
    [{ json: { choices: [] } }, /empty choices array/],
    [
      { json: { choices: [{ index: 0 }] } },
      /no message object in choices\[0\]/,
    ],
  ];
  for (const [reply, message] of cases) {
    server.enqueue(reply);
    await assert.rejects(
      client.generateResponse(ask),
      (error: unknown) =>
        error instanceof InvalidResponseError && message.test(error.message),
      JSON.stringify(reply),
    );
  }
});

Deno.test("generateResponse() stops waiting when the caller aborts", async () => {
  await using server = await startMockServer();
  server.enqueue({
    json: chatCompletionBody({ content: "late" }),
    stallMs: 5000,
  });
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const controller = new AbortController();
  const pending = client.generateResponse(ask, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error("user pressed stop")), 50);
  const started = Date.now();
  await assert.rejects(
    pending,
    (error: unknown) =>
      error instanceof AbortError &&
      String(error.cause).includes("user pressed stop"),
  );
  assert.ok(Date.now() - started < 4000);
  const already = AbortSignal.abort();
  await assert.rejects(
    client.generateResponse(ask, { signal: already }),
    AbortError,
  );
});

Deno.test("testConnection() answers true for a server, false (and logs why, at debug level) for none", async () => {
  await using server = await startMockServer();
  assert.equal(
    await new GptOssClient({ baseUrl: server.url }).testConnection(),
    true,
  );
  const logger = recordingLogger();
  const down = new GptOssClient({
    baseUrl: `http://127.0.0.1:${closedPort()}`,
    logger,
  });
  assert.equal(await down.testConnection(), false);
  assert.match(
    logger.lines.find((l) =>
      l.level === "debug" && /test failed/.test(l.message)
    )!
      .message,
    /Connection test failed: Cannot reach/,
  );
  assert.ok(
    !logger.lines.some((l) => l.level === "warn"),
    "no warning: the caller handles the answer",
  );
  server.enqueue({
    status: 401,
    json: { error: { message: "Invalid API key" } },
  }, "/v1/models");
  const wrongKey = new GptOssClient({ baseUrl: server.url, logger });
  assert.equal(await wrongKey.testConnection(), false);
  assert.match(logger.lines.at(-1)!.message, /401: Invalid API key/);
});

Deno.test("listModels() returns what the server lists", async () => {
  await using server = await startMockServer({ models: ["a", "b"] });
  const models = await new GptOssClient({ baseUrl: server.url }).listModels();
  assert.deepEqual(models.map((m) => m.id), ["a", "b"]);
  server.enqueue({ json: { models: [] } }, "/v1/models");
  await assert.rejects(
    new GptOssClient({ baseUrl: server.url }).listModels(),
    InvalidResponseError,
  );
});
