/**
 * Ollama as it really behaves: a prompt longer than its window cut without a
 * word on its OpenAI route (and the client saying so), the window it tells
 * only once the model is loaded, and its native API (`api: "ollama"`), which
 * takes the client's window and refuses what does not fit. Against the mock
 * Ollama of testing/ (server/routes.go and server/prompt.go of v0.33), and
 * the public excerpts of Ollama's native traffic (captures ollama/).
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  ApiError,
  type ChatMessage,
  ConfigError,
  ContextSizeError,
  explainServerTruncation,
  GptOssClient,
  GptOssError,
  InvalidMessageError,
} from "../mod.ts";
import {
  ollamaChatBody,
  ollamaChatStream,
  startMockServer,
} from "../testing/mod.ts";
import { recordingLogger } from "./_helpers.ts";

const MODEL = "gpt-oss:20b";

/** A long conversation: about 6,000 estimated tokens, the question last. */
function longChat(): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: "system", content: "Be brief." }];
  for (let i = 0; i < 12; i++) {
    messages.push(
      { role: "user", content: `Question ${i}: ${"tell me more ".repeat(90)}` },
      {
        role: "assistant",
        content: `Answer ${i}: ${"here is more ".repeat(90)}`,
      },
    );
  }
  messages.push({ role: "user", content: "THE REAL QUESTION" });
  return messages;
}

Deno.test("Ollama's OpenAI route cuts a prompt too long for its window without a word: the completion says so, once in the log", async () => {
  await using server = await startMockServer({
    models: [MODEL],
    ollama: { contextLength: 4096 },
  });
  const logger = recordingLogger();
  // The client believes the window is 16k; Ollama runs with 4k.
  const client = new GptOssClient({
    baseUrl: server.url,
    model: MODEL,
    server: "ollama",
    maxContextSize: 16384,
    logger,
  });
  const whole = await client.generateResponse(longChat());
  assert.ok(whole.serverTruncated, "the cut is reported");
  const { sentTokens, serverTokens } = whole.serverTruncated;
  assert.equal(serverTokens, whole.usage!.prompt_tokens);
  assert.ok(
    sentTokens > 4096 && serverTokens <= 4096,
    `${sentTokens} ${serverTokens}`,
  );
  // What the model read: the newest turns only (the mock echoes them).
  assert.match(whole.choices[0].message.content!, /THE REAL QUESTION/);

  const streamed = await client.streamResponse(longChat()).completion();
  assert.deepEqual(streamed.serverTruncated, whole.serverTruncated);

  const warnings = logger.lines.filter((l) => l.level === "warn");
  assert.equal(warnings.length, 1, "warned once per client");
  assert.equal(
    warnings[0].message,
    explainServerTruncation(whole.serverTruncated, "ollama"),
  );
  assert.match(warnings[0].message, /OLLAMA_CONTEXT_LENGTH/);

  // A conversation that fits is not flagged.
  const short = await client.generateResponse([
    { role: "user", content: "Hi" },
  ]);
  assert.equal(short.serverTruncated, undefined);
});

Deno.test('maxContextSize "auto" on an Ollama that has not loaded the model: 4096 until it tells, then /api/ps again after the first answer', async () => {
  await using server = await startMockServer({
    models: [MODEL],
    ollama: { contextLength: 32768, loaded: false },
  });
  const logger = recordingLogger();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: MODEL,
    maxContextSize: "auto",
    logger,
  });
  const first = await client.generateResponse(longChat());
  // Fitted to the 4096 assumed: the oldest turns dropped by the client, visibly.
  assert.ok(first.truncation && first.truncation.dropped.length > 0);
  assert.ok(first.truncation.budget <= 4096);
  assert.equal(first.serverTruncated, undefined);
  assert.match(
    logger.text(),
    /has not loaded gpt-oss:20b yet.*using 4096 tokens/,
  );
  const second = await client.generateResponse(longChat());
  assert.equal(second.truncation, undefined, "the real window holds it all");
  assert.equal(
    server.requests.filter((r) => r.path === "/api/ps").length,
    2,
    "asked at discovery and once after the first answer",
  );
  assert.match(logger.text(), /window of 32768 tokens; using it from now on/);
  await client.generateResponse([{ role: "user", content: "Hi" }]);
  assert.equal(
    server.requests.filter((r) => r.path === "/api/ps").length,
    2,
    "not again once told",
  );
});

Deno.test("api: \"ollama\" sends /api/chat with the client's window as num_ctx, truncate false, think from the effort, and Ollama's message shapes", async () => {
  await using server = await startMockServer({
    models: [MODEL],
    ollama: { contextLength: 4096 },
  });
  const client = new GptOssClient({
    baseUrl: `${server.url}/v1`,
    model: MODEL,
    api: "ollama",
    maxContextSize: 16384,
    reasoningEffort: "low",
    seed: 7,
    stop: "END",
  });
  const tools = [{
    type: "function" as const,
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  }];
  await client.generateResponse([
    { role: "developer", content: "Use tools." },
    { role: "user", content: "Weather?" },
    {
      role: "assistant",
      content: null,
      reasoning: "Call it.",
      tool_calls: [{
        id: "call_1",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
      }],
    },
    { role: "tool", tool_call_id: "call_1", content: "18 C" },
  ], {
    tools,
    keepReasoning: true,
    responseFormat: { type: "json_object" },
    extraBody: { options: { num_gpu: 1 }, keep_alive: "10m" },
  });
  const sent = server.requests.at(-1)!;
  assert.equal(sent.path, "/api/chat");
  assert.deepEqual(sent.body, {
    model: MODEL,
    messages: [
      { role: "system", content: "Use tools." },
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: "",
        thinking: "Call it.",
        tool_calls: [{
          id: "call_1",
          function: { name: "get_weather", arguments: { city: "Oslo" } },
        }],
      },
      {
        role: "tool",
        content: "18 C",
        tool_call_id: "call_1",
        tool_name: "get_weather",
      },
    ],
    stream: false,
    options: {
      temperature: 0.7,
      num_predict: 2048,
      num_ctx: 16384,
      seed: 7,
      stop: ["END"],
      num_gpu: 1,
    },
    truncate: false,
    think: "low",
    tools,
    format: "json",
    keep_alive: "10m",
  });
  // The mock Ollama now runs with the window the client sent.
  const ps = await (await fetch(`${server.url}/api/ps`)).json();
  assert.equal(ps.models[0].context_length, 16384);
});

Deno.test('api: "ollama" reads whole and streamed answers into the same completion: reasoning, answer, tool calls, usage, finish', async () => {
  await using server = await startMockServer({ models: [MODEL] });
  const spec = {
    reasoning: "I should call the weather tool.",
    content: "",
    toolCalls: [{
      name: "get_weather",
      arguments: { city: "Paris", unit: "celsius" },
    }],
    promptTokens: 142,
    completionTokens: 36,
  };
  server.enqueue({ json: ollamaChatBody(spec) }, "/api/chat");
  server.enqueue(
    { ndjson: ollamaChatStream(spec), writes: "line" },
    "/api/chat",
  );
  const client = new GptOssClient({
    baseUrl: server.url,
    model: MODEL,
    api: "ollama",
  });
  const ask = [{ role: "user" as const, content: "Weather in Paris?" }];
  const whole = await client.generateResponse(ask);
  const stream = client.streamResponse(ask);
  const deltas = [];
  for await (const delta of stream) deltas.push(delta);
  const streamed = await stream.completion();
  for (const completion of [whole, streamed]) {
    const { message, finish_reason } = completion.choices[0];
    assert.equal(message.content, null);
    assert.equal(message.reasoning, "I should call the weather tool.");
    assert.equal(message.tool_calls?.length, 1);
    assert.equal(message.tool_calls![0].function.name, "get_weather");
    assert.deepEqual(JSON.parse(message.tool_calls![0].function.arguments), {
      city: "Paris",
      unit: "celsius",
    });
    assert.match(message.tool_calls![0].id, /^call_/);
    assert.equal(finish_reason, "tool_calls");
    assert.deepEqual(completion.usage, {
      prompt_tokens: 142,
      completion_tokens: 36,
      total_tokens: 178,
    });
    assert.equal(completion.model, MODEL);
  }
  assert.equal(
    deltas.map((d) => d.reasoning ?? "").join(""),
    "I should call the weather tool.",
  );
  assert.equal(deltas.at(-1)!.finishReason, "tool_calls");
});

Deno.test('api: "ollama" gives the same answer however the NDJSON is split, with every read size', async () => {
  const spec = {
    reasoning: "Think about \u4e2d\u6587 and \u{1F389}.",
    content: "Line one\nline two.",
    promptTokens: 30,
  };
  const ndjson = ollamaChatStream(spec);
  await using server = await startMockServer({ models: [MODEL] });
  const client = new GptOssClient({
    baseUrl: server.url,
    model: MODEL,
    api: "ollama",
  });
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: ndjson.length - 1 }), {
        maxLength: 12,
      }),
      async (cuts) => {
        server.enqueue({ ndjson, writes: cuts }, "/api/chat");
        const completion = await client.streamResponse([{
          role: "user",
          content: "x",
        }]).completion();
        assert.equal(completion.choices[0].message.content, spec.content);
        assert.equal(completion.choices[0].message.reasoning, spec.reasoning);
        assert.equal(completion.usage?.prompt_tokens, 30);
        assert.equal(completion.incomplete, undefined);
      },
    ),
    { numRuns: 60, seed: 14 },
  );
});

Deno.test('api: "ollama": an error line mid-stream is a typed error with what arrived; a stream without its last object is incomplete', async () => {
  await using server = await startMockServer({ models: [MODEL] });
  const client = new GptOssClient({
    baseUrl: server.url,
    model: MODEL,
    api: "ollama",
    maxRetries: 0,
  });
  const lines = ollamaChatStream({
    reasoning: "Thinking hard",
    content: "Partial answer",
  })
    .trim().split("\n");
  const cut = lines.slice(0, -2).join("\n") + "\n";
  server.enqueue(
    {
      ndjson: cut +
        '{"error":"an error was encountered while running the model"}\n',
      writes: "line",
    },
    "/api/chat",
  );
  await assert.rejects(
    client.streamResponse([{ role: "user", content: "x" }]).completion(),
    (error: unknown) => {
      assert.ok(error instanceof ApiError, String(error));
      assert.match(
        error.message,
        /an error was encountered while running the model/,
      );
      assert.equal(error.partial?.incomplete, true);
      assert.equal(
        error.partial?.choices[0].message.reasoning,
        "Thinking hard",
      );
      assert.ok(
        error.partial?.choices[0].message.content?.startsWith("Partial"),
      );
      return true;
    },
  );
  // The body ends without the done object: what arrived, marked incomplete.
  server.enqueue({ ndjson: cut, writes: "line" }, "/api/chat");
  await assert.rejects(
    client.streamResponse([{ role: "user", content: "x" }]).completion(),
    (error: unknown) =>
      error instanceof GptOssError &&
      error.partial?.incomplete === true,
  );
});

Deno.test('api: "ollama": a prompt too long for the window is refused by Ollama as a ContextSizeError, not cut', async () => {
  await using server = await startMockServer({
    models: [MODEL],
    ollama: { contextLength: 4096 },
  });
  const client = new GptOssClient({
    baseUrl: server.url,
    model: MODEL,
    api: "ollama",
    maxContextSize: 8192, // the client sends num_ctx 8192
    maxTokens: 100,
    contextOverflow: "error",
    tokenizer: { count: () => 1 }, // a tokenizer that undercounts: the client lets it through
    maxRetries: 0,
  });
  await assert.rejects(
    client.generateResponse([...longChat(), ...longChat()]),
    (error: unknown) =>
      error instanceof ContextSizeError &&
      /exceeds the context length/.test(error.message),
  );
});

Deno.test('api: "ollama" per call, beside a client on the OpenAI route; and what its native API cannot take is a typed error', async () => {
  await using server = await startMockServer({
    models: [MODEL],
    ollama: {},
  });
  const client = new GptOssClient({ baseUrl: server.url, model: MODEL });
  assert.equal(client.settings.api, "chat");
  await client.generateResponse([{ role: "user", content: "a" }]);
  await client.generateResponse([{ role: "user", content: "b" }], {
    api: "ollama",
  });
  assert.deepEqual(
    server.requests.filter((r) => r.method === "POST").map((r) => r.path),
    ["/v1/chat/completions", "/api/chat"],
  );
  assert.throws(
    () => new GptOssClient({ api: "native" as "ollama" }),
    (e: unknown) => e instanceof ConfigError && e.field === "api",
  );
  await assert.rejects(
    client.generateResponse([{ role: "user", content: "x" }], {
      api: "ollama",
      tools: [{ type: "function", function: { name: "f" } }],
      toolChoice: "required",
    }),
    (e: unknown) =>
      e instanceof ConfigError && /no tool_choice/.test(e.message),
  );
  await assert.rejects(
    client.generateResponse([{
      role: "user",
      content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }],
    }], { api: "ollama" }),
    (e: unknown) => e instanceof InvalidMessageError && /data/.test(e.message),
  );
  await assert.rejects(
    client.generateResponse([
      { role: "user", content: "x" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: "c",
          type: "function",
          function: { name: "f", arguments: "[1]" },
        }],
      },
      { role: "tool", tool_call_id: "c", content: "r" },
    ], { api: "ollama" }),
    (e: unknown) =>
      e instanceof InvalidMessageError && e.index === 1 &&
      /JSON object/.test(e.message),
  );
});

/** A public excerpt of Ollama's native traffic (tests/fixtures/captures/ollama/). */
async function ollamaCapture(name: string) {
  return JSON.parse(
    await Deno.readTextFile(
      new URL(`./fixtures/captures/ollama/${name}.json`, import.meta.url),
    ),
  );
}

Deno.test("captures ollama/24 and ollama/26: a real whole answer's thinking beside its content, a real error line mid-stream", async () => {
  await using server = await startMockServer({ models: [MODEL] });
  const client = new GptOssClient({
    baseUrl: server.url,
    model: MODEL,
    api: "ollama",
    maxRetries: 0,
  });
  // 24 ends inside message.thinking (the excerpt is partial): closed here
  // with the end of the string and of the message, the rest as captured.
  const whole = await ollamaCapture(
    "24-ollama-native-chat-nonstream-thinking-partial",
  );
  server.enqueue({
    text: `${whole.response.body}"},"done":true,"done_reason":"stop"}`,
    headers: { "content-type": "application/json" },
  }, "/api/chat");
  const completion = await client.generateResponse([{
    role: "user",
    content: "Hi",
  }]);
  assert.equal(
    completion.choices[0].message.content,
    "Hello! How can I help you today?",
  );
  assert.equal(
    completion.choices[0].message.reasoning,
    "We need to respond to a greeting. S",
  );
  assert.equal(completion.model, "gpt-oss");
  assert.equal(
    completion.created,
    Math.floor(Date.parse("2025-12-24T22:55:02.704682Z") / 1000),
  );

  // 26: a 200 NDJSON stream whose last line is an error (the documented
  // example is /api/generate's, with `response` for the text).
  const failed = await ollamaCapture("26-ollama-native-midstream-error-ndjson");
  server.enqueue({
    ndjson: failed.response.ndjson_raw,
    writes: "line",
  }, "/api/chat");
  await assert.rejects(
    client.streamResponse([{ role: "user", content: "x" }]).completion(),
    (error: unknown) =>
      error instanceof ApiError &&
      error.serverMessage ===
        "an error was encountered while running the model",
  );
});
