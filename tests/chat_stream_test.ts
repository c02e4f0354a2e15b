import assert from "node:assert/strict";
import {
  AbortError,
  ApiError,
  ConnectionError,
  GptOssClient,
  GptOssError,
  InvalidResponseError,
  type StreamDelta,
  TimeoutError,
} from "../mod.ts";
import {
  chatCompletionBody,
  chatCompletionStream,
  sseEvent,
  startMockServer,
} from "../testing/mod.ts";
import { loadFixture, waitFor } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "Tell me a story" }];
const story = {
  reasoning: "The user wants a story. Keep it short.",
  content: "Once upon a time, a model kept its reasoning apart. The end.",
};

async function collect(
  stream: AsyncIterable<StreamDelta>,
): Promise<StreamDelta[]> {
  const deltas: StreamDelta[] = [];
  for await (const delta of stream) deltas.push(delta);
  return deltas;
}

Deno.test("streamResponse() yields reasoning and content deltas from either field, then the completion", async () => {
  for (const field of ["reasoning", "reasoning_content"] as const) {
    await using server = await startMockServer();
    server.enqueue({
      sse: chatCompletionStream({ ...story, reasoningField: field }),
      writes: "event",
    });
    const client = new GptOssClient({ baseUrl: server.url, model: "m" });
    const stream = client.streamResponse(ask);
    const deltas = await collect(stream);
    assert.equal(
      deltas.map((d) => d.reasoning ?? "").join(""),
      story.reasoning,
    );
    assert.equal(deltas.map((d) => d.content ?? "").join(""), story.content);
    assert.ok(deltas.every((d) => d.content !== "" && d.reasoning !== ""));
    assert.deepEqual(deltas.at(-2), { finishReason: "stop" });
    assert.ok(deltas.at(-1)!.usage!.completion_tokens > 0);
    const completion = await stream.completion();
    assert.deepEqual(completion.choices[0], {
      index: 0,
      message: {
        role: "assistant",
        content: story.content,
        reasoning: story.reasoning,
      },
      finish_reason: "stop",
    });
    assert.equal(completion.incomplete, undefined);
    const body = server.requests[0].body as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(server.requests[0].headers.accept, "text/event-stream");
  }
});

Deno.test("streamResponse() assembles the same completion as generateResponse", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  server.enqueue({ json: chatCompletionBody(story) });
  server.enqueue({ sse: chatCompletionStream(story), writes: 7 });
  const plain = await client.generateResponse(ask);
  const streamed = await client.streamResponse(ask).completion();
  // The client's own measurements differ; everything from the server is the same.
  assert.ok(plain.stats && streamed.stats?.timeToFirstTokenMs !== undefined);
  delete plain.stats;
  delete streamed.stats;
  assert.deepEqual(streamed, plain);
});

Deno.test("completion() reads the stream itself when nobody iterates it", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const completion = await client.streamResponse(ask).completion();
  assert.match(completion.choices[0].message.content!, /built-in mock server/);
  assert.match(completion.choices[0].message.reasoning!, /The user asks/);
});

Deno.test("streamResponse() keeps multi-byte text whole when the server drips one byte per write", async () => {
  await using server = await startMockServer();
  const text = {
    reasoning: "\u4e09\u52a0\u4e09 \u{1F914}",
    content:
      "\u7b54\u3048 \u{1F44D} \u2014 \u0413\u043e\u0442\u043e\u0432\u043e",
  };
  server.enqueue({
    sse: chatCompletionStream(text).replaceAll("\n", "\r\n"),
    writes: 1,
  });
  const completion = await new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask).completion();
  assert.equal(completion.choices[0].message.content, text.content);
  assert.equal(completion.choices[0].message.reasoning, text.reasoning);
});

Deno.test("streamResponse() assembles tool calls sent in fragments and whole", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const calls = [
    {
      id: "call_a",
      name: "get_weather",
      arguments: '{"city":"Oslo","unit":"celsius"}',
    },
    { id: "call_b", name: "get_time", arguments: '{"zone":"Europe/Oslo"}' },
  ];
  server.enqueue({
    sse: chatCompletionStream({ reasoning: "Need tools.", toolCalls: calls }),
  });
  const base = {
    id: "x",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-oss:20b",
  };
  const whole = sseEvent({
    ...base,
    choices: [{
      index: 0,
      delta: {
        role: "assistant",
        content: "",
        tool_calls: calls.map((c, index) => ({
          id: c.id,
          index,
          type: "function",
          function: { name: c.name, arguments: c.arguments },
        })),
      },
      finish_reason: null,
    }],
  }) +
    sseEvent({
      ...base,
      choices: [{
        index: 0,
        delta: { role: "assistant", content: "" },
        finish_reason: "tool_calls",
      }],
    }) +
    sseEvent("[DONE]");
  server.enqueue({ sse: whole });
  for (const expectedPieces of [true, false]) {
    const stream = client.streamResponse(ask);
    const deltas = await collect(stream);
    assert.equal(deltas.some((d) => (d.toolCalls?.length ?? 0) > 0), true);
    const { message, finish_reason } = (await stream.completion()).choices[0];
    assert.equal(finish_reason, "tool_calls");
    assert.equal(message.content, null);
    assert.deepEqual(
      message.tool_calls,
      calls.map((c) => ({
        id: c.id,
        type: "function",
        function: { name: c.name, arguments: c.arguments },
      })),
    );
    assert.equal(deltas.filter((d) => d.toolCalls).length > 2, expectedPieces);
  }
});

Deno.test("streamResponse() cancels the request when the caller leaves the loop early", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream(story),
    writes: "event",
    delayMs: 20,
  });
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask);
  let seen = 0;
  for await (const _ of stream) if (++seen === 3) break;
  const completion = await stream.completion();
  assert.equal(completion.incomplete, true);
  assert.equal(completion.choices[0].message.reasoning, "The user wants");
  // The server sees the cancellation.
  await waitFor(() => server.requests[0].cancelled);
  assert.equal(server.requests[0].cancelled, true);
});

Deno.test("streamResponse() keeps what arrived when the connection breaks mid-stream", async () => {
  await using server = await startMockServer();
  const full = chatCompletionStream(story);
  const cut = full.indexOf('"content":" upon"');
  server.enqueue({
    sse: full.slice(0, full.lastIndexOf("data:", cut)),
    writes: "event",
    reset: true,
  });
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask);
  const seen: StreamDelta[] = [];
  await assert.rejects(
    (async () => {
      for await (const delta of stream) seen.push(delta);
    })(),
    (error: unknown) => {
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /broke mid-stream .*error\.partial/);
      assert.equal(error.partial?.incomplete, true);
      assert.equal(error.partial?.choices[0].message.content, "Once");
      assert.equal(
        error.partial?.choices[0].message.reasoning,
        story.reasoning,
      );
      return true;
    },
  );
  assert.equal(seen.map((d) => d.content ?? "").join(""), "Once");
  await assert.rejects(stream.completion(), ConnectionError);
});

Deno.test("streamResponse() marks a real capture that stops without [DONE] as incomplete", async () => {
  const fixture = await loadFixture("vllm_reasoning_content_stream.json");
  await using server = await startMockServer();
  server.enqueue({ ...fixture, writes: 1 });
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask);
  await assert.rejects(stream.completion(), (error: unknown) => {
    assert.ok(error instanceof InvalidResponseError);
    assert.match(error.message, /ended before its end/);
    assert.equal(error.partial?.incomplete, true);
    assert.equal(
      error.partial?.choices[0].message.reasoning,
      " need to use the tool",
    );
    assert.equal(error.partial?.model, "openai/gpt-oss-20b");
    return true;
  });
});

Deno.test("streamResponse() raises an error event inside a 200 stream, with what arrived", async () => {
  await using server = await startMockServer();
  const start =
    chatCompletionStream(story).split("\n\n").slice(0, 4).join("\n\n") + "\n\n";
  server.enqueue({
    sse: start +
      sseEvent({
        object: "error",
        message: "CUDA out of memory",
        type: "InternalServerError",
        code: 500,
      }),
    writes: "event",
  });
  await assert.rejects(
    new GptOssClient({ baseUrl: server.url, model: "m" }).streamResponse(ask)
      .completion(),
    (error: unknown) =>
      error instanceof ApiError &&
      error.serverMessage === "CUDA out of memory" &&
      error.partial?.choices[0].message.reasoning === "The user wants",
  );
});

Deno.test("streamResponse() accepts a server that answers a stream request with one JSON body", async () => {
  await using server = await startMockServer();
  server.enqueue({ json: chatCompletionBody(story) });
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask);
  const deltas = await collect(stream);
  assert.equal(deltas.length, 1);
  assert.equal(deltas[0].content, story.content);
  assert.equal(deltas[0].reasoning, story.reasoning);
  assert.equal(
    (await stream.completion()).choices[0].message.content,
    story.content,
  );
});

Deno.test("streamResponse() rejects an HTML page sent with status 200", async () => {
  await using server = await startMockServer();
  server.enqueue({
    text: "<html>Login required</html>",
    headers: { "content-type": "text/html; charset=utf-8" },
  });
  await assert.rejects(
    new GptOssClient({ baseUrl: server.url, model: "m" }).streamResponse(ask)
      .completion(),
    (error: unknown) =>
      error instanceof InvalidResponseError &&
      error.body === "<html>Login required</html>",
  );
});

Deno.test("streamResponse() raises the error status of a stream request before any delta", async () => {
  await using server = await startMockServer();
  server.enqueue({
    status: 503,
    json: { error: { message: "Server overloaded", type: "server_error" } },
  });
  const stream = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxRetries: 0,
  }).streamResponse(ask);
  await assert.rejects(
    collect(stream),
    (error: unknown) => error instanceof ApiError && error.status === 503,
  );
  await assert.rejects(stream.completion(), ApiError);
});

Deno.test("streamResponse() ends with AbortError and the partial completion when the caller aborts", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream(story),
    writes: "event",
    delayMs: 30,
  });
  const controller = new AbortController();
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask, {
      signal: controller.signal,
    });
  const seen: StreamDelta[] = [];
  await assert.rejects(
    (async () => {
      for await (const delta of stream) {
        seen.push(delta);
        if (seen.length === 2) controller.abort();
      }
    })(),
    (error: unknown) =>
      error instanceof AbortError && error.partial?.incomplete === true &&
      error.partial.choices[0].message.reasoning === "The user",
  );
});

Deno.test("streamResponse() raises TimeoutError when the server stalls before headers or mid-stream", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    timeout: 150,
  });
  server.enqueue({ sse: chatCompletionStream(story), stallMs: 2000 });
  await assert.rejects(
    client.streamResponse(ask).completion(),
    (error: unknown) =>
      error instanceof TimeoutError && error.limit === "headers" &&
      error.timeoutMs === 150,
  );
  server.enqueue({
    sse: chatCompletionStream(story),
    writes: [200],
    delayMs: 2000,
  });
  await assert.rejects(
    client.streamResponse(ask).completion(),
    (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.limit, "idle");
      assert.match(error.message, /went silent for more than 150 ms/);
      return true;
    },
  );
  // A slow but steady stream is not a stall: each piece restarts the clock.
  server.enqueue({
    sse: chatCompletionStream({ content: "a b c d e f" }),
    writes: "event",
    delayMs: 40,
  });
  const steady = await client.streamResponse(ask).completion();
  assert.equal(steady.choices[0].message.content, "a b c d e f");
});

Deno.test("ChatStream can be iterated only once", async () => {
  await using server = await startMockServer();
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask);
  await collect(stream);
  assert.throws(
    () => stream[Symbol.asyncIterator](),
    (e: unknown) =>
      e instanceof GptOssError && /already been read/.test(e.message),
  );
});

Deno.test("streamResponse() throws caller mistakes at once, before any request", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  assert.throws(
    () =>
      client.streamResponse([{
        role: "user",
        content: 5 as unknown as string,
      }]),
    /content must be/,
  );
  assert.equal(server.requests.length, 0);
});
