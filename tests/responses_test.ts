/**
 * The Responses API adapter (`api: "responses"`): real servers' captured
 * traffic replayed through the client over a socket, whole and cut into
 * every kind of read (vLLM 28be48fa9 in captures/vllm, vLLM 0.32.0 in
 * captures/vllm-0.32, LM Studio in captures/lmstudio), a reference model of
 * each server's events (vLLM's, LM Studio's, Ollama's from its source) with
 * generated answers, every split and every cut, the request body, errors
 * and discovery.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  AbortError,
  ApiError,
  type ChatCompletion,
  ConfigError,
  ContextSizeError,
  defineTool,
  generateObject,
  GptOssClient,
  GptOssError,
  runToolLoop,
  type StreamDelta,
  TimeoutError,
} from "../mod.ts";
import { ResponsesEventDecoder } from "../src/api/responses/event_decoder.ts";
import {
  type ResponsesAnswerSpec,
  responsesBody,
  type ResponsesDialect,
  responsesStream,
  startMockServer,
  type WritePlan,
} from "../testing/mod.ts";
import { loadCapture, loadExchange, replyOf } from "./_captures.ts";
import { splitAt, waitFor } from "./_helpers.ts";

const SPLITS: WritePlan[] = ["whole", "event", 1, 7, 64];
const PATH = "/v1/responses";
const USER = [{ role: "user" as const, content: "Say hello" }];

function clientOf(url: string, extra: Record<string, unknown> = {}) {
  return new GptOssClient({
    baseUrl: url,
    model: "openai/gpt-oss-20b",
    api: "responses",
    maxRetries: 0,
    ...extra,
  });
}

/** What the caller sees, without what differs per run. */
function seen(completion: ChatCompletion) {
  return {
    message: completion.choices[0].message,
    finish: completion.choices[0].finish_reason,
    usage: completion.usage,
    incomplete: completion.incomplete,
  };
}

/** A captured stream replayed at every split: the same completion each time, and the deltas add up to it. */
async function replayStream(body: string): Promise<ChatCompletion> {
  await using mock = await startMockServer();
  const client = clientOf(mock.url);
  const results: ChatCompletion[] = [];
  for (const writes of SPLITS) {
    mock.enqueue({
      sse: body,
      writes,
      headers: { "content-type": "text/event-stream" },
    }, PATH);
    const stream = client.streamResponse(USER);
    let reasoning = "";
    let content = "";
    for await (const delta of stream) {
      reasoning += delta.reasoning ?? "";
      content += delta.content ?? "";
    }
    const completion = await stream.completion();
    assert.equal(reasoning, completion.choices[0].message.reasoning ?? "");
    assert.equal(content, completion.choices[0].message.content ?? "");
    results.push(completion);
  }
  for (const r of results) assert.deepEqual(seen(r), seen(results[0]));
  assert.ok(results[0].response, "the terminal event's response is kept");
  return results[0];
}

Deno.test("vLLM (28be48fa9): a whole and a streamed answer give the reasoning apart, the answer, usage with reasoning tokens; the stream ends without [DONE] (vllm/19, 20)", async () => {
  await using mock = await startMockServer();
  mock.enqueue(replyOf(await loadCapture("vllm/19_responses")), PATH);
  const whole = await clientOf(mock.url).generateResponse(USER);
  const message = {
    role: "assistant",
    content: "Hello! This tiny scripted gpt-oss test peer runs on vLLM",
    reasoning: "The user asks a simple question, so I should reply briefly.",
  };
  assert.deepEqual(seen(whole), {
    message,
    finish: "stop",
    usage: {
      prompt_tokens: 69,
      completion_tokens: 39,
      total_tokens: 108,
      completion_tokens_details: { reasoning_tokens: 14 },
    },
    incomplete: undefined,
  });
  assert.equal(whole.id, "resp_b83ee0b2026967d4");
  assert.equal(whole.response?.object, "response");
  const streamed = await replayStream(
    (await loadCapture("vllm/20_responses_stream")).body,
  );
  assert.deepEqual(streamed.choices[0].message, message);
  assert.equal(streamed.choices[0].finish_reason, "stop");
  assert.equal(streamed.usage?.completion_tokens_details?.reasoning_tokens, 13);
  assert.equal(streamed.id, "resp_8e2771cd6039366e");
});

Deno.test("vLLM: a function_call item is a tool call whose id is its call_id, whole and streamed (vllm/21, 22, vllm-0.32/49)", async () => {
  await using mock = await startMockServer();
  mock.enqueue(replyOf(await loadCapture("vllm/21_responses_tools")), PATH);
  const whole = await clientOf(mock.url).generateResponse(USER);
  assert.deepEqual(whole.choices[0].message.tool_calls, [{
    id: "call_ae50b422b0958344",
    type: "function",
    function: {
      name: "get_weather",
      arguments: '{"city":"Paris","unit":"celsius"}',
    },
  }]);
  assert.equal(whole.choices[0].message.content, null);
  assert.equal(whole.choices[0].finish_reason, "tool_calls");
  for (
    const [name, id] of [
      ["vllm/22_responses_tools_stream", "call_811291cfeb77d6bd"],
      ["vllm-0.32/49_responses_tools_stream", undefined],
    ] as const
  ) {
    const streamed = await replayStream((await loadCapture(name)).body);
    const calls = streamed.choices[0].message.tool_calls!;
    assert.equal(calls.length, 1, `${name}: one call, not one per event`);
    assert.equal(calls[0].function.name, "get_weather");
    assert.deepEqual(JSON.parse(calls[0].function.arguments), {
      city: "Paris",
      unit: "celsius",
    });
    if (id) assert.equal(calls[0].id, id);
    else assert.match(calls[0].id, /^call_/);
    assert.equal(streamed.choices[0].finish_reason, "tool_calls");
    assert.ok(streamed.choices[0].message.reasoning);
  }
});

Deno.test("vLLM 0.32.0: max_output_tokens reached is finish reason length though the event is response.completed, whole and streamed (vllm-0.32/40, 46)", async () => {
  await using mock = await startMockServer();
  mock.enqueue(
    replyOf(await loadCapture("vllm-0.32/46_responses_max_output_tokens")),
    PATH,
  );
  const whole = await clientOf(mock.url).generateResponse(USER);
  assert.equal(whole.choices[0].finish_reason, "length");
  assert.equal(whole.choices[0].message.reasoning, "The user");
  const capture = await loadCapture(
    "vllm-0.32/40_responses_max_output_tokens_stream",
  );
  assert.match(capture.body, /event: response\.completed/);
  const streamed = await replayStream(capture.body);
  assert.equal(streamed.choices[0].finish_reason, "length");
  assert.equal(streamed.incomplete, undefined, "it did end: cut, not broken");
});

Deno.test("vLLM 0.32.0: the stateless second turn of a tool call (what the client sends) is answered (vllm-0.32/47)", async () => {
  const capture = await loadCapture("vllm-0.32/47_responses_tool_round_trip");
  const streamed = await replayStream(capture.body);
  assert.equal(streamed.choices[0].message.content, "Hello! How can I help?");
  // What the capture sent is what the client sends for the same history.
  await using mock = await startMockServer();
  mock.enqueue(replyOf(capture), PATH);
  const sent = capture.request!;
  await clientOf(mock.url, { temperature: 1 }).generateResponse([
    { role: "user", content: "What is the weather in Paris?" },
    {
      role: "assistant",
      content: null,
      reasoning: "I need the weather, so I call the tool.",
      tool_calls: [{
        id: "call_1",
        type: "function",
        function: {
          name: "get_weather",
          arguments: '{"city":"Paris","unit":"celsius"}',
        },
      }],
    },
    { role: "tool", tool_call_id: "call_1", content: '{"temperature":21}' },
  ], {
    tools: (sent.tools as {
      name: string;
      description: string;
      parameters: Record<string, unknown>;
    }[]).map((t) => ({
      type: "function",
      function: {
        name: t.name,
        description: t.description,
        parameters: t.parameters,
      },
    })),
  }).catch(() => {/* the reply is a stream; only the request matters */});
  const body = mock.requests.at(-1)!.body as Record<string, unknown>;
  assert.deepEqual(body.input, sent.input);
  assert.deepEqual(body.tools, sent.tools);
  assert.equal(body.store, false);
});

Deno.test("LM Studio: reasoning in a reasoning_text content part, the answer, usage; a function call round trip sent back stateless (lmstudio/32, 35)", async () => {
  const exchange = await loadExchange(
    "lmstudio/32-lmstudio-responses-stream-reasoning_text-gptoss",
  );
  const streamed = await replayStream(exchange.response.sse!);
  assert.deepEqual(streamed.choices[0].message, {
    role: "assistant",
    content: "6",
    reasoning: "Answer: 6.",
  });
  assert.equal(streamed.usage?.prompt_tokens, 77);
  const roundTrip = await loadExchange(
    "lmstudio/35-lmstudio-responses-nonstream-function-call-roundtrip",
  ) as unknown as {
    response: { body: string };
    followup: { request: { body: string }; response: { body: string } };
  };
  await using mock = await startMockServer();
  mock.enqueue({
    text: roundTrip.response.body,
    headers: { "content-type": "application/json" },
  }, PATH);
  mock.enqueue({
    text: roundTrip.followup.response.body,
    headers: { "content-type": "application/json" },
  }, PATH);
  const client = clientOf(mock.url);
  const first = await client.generateResponse([
    { role: "user", content: "What's the temperature in Berlin?" },
  ]);
  const call = first.choices[0].message.tool_calls![0];
  assert.equal(call.id, "call_516284801530001");
  assert.equal(call.function.arguments, '{"city":"Berlin"}');
  const second = await client.generateResponse([
    { role: "user", content: "What's the temperature in Berlin?" },
    first.choices[0].message,
    { role: "tool", tool_call_id: call.id, content: "It is 15°C in Berlin." },
  ]);
  assert.equal(
    second.choices[0].message.content,
    JSON.parse(roundTrip.followup.response.body).output[1].content[0].text,
  );
  assert.match(second.choices[0].message.content!, /^The current temperature/);
  const input = (mock.requests.at(-1)!.body as { input: unknown[] }).input;
  const recorded = JSON.parse(roundTrip.followup.request.body).input;
  // The recorded client sent the call and its output as the client does
  // (it left out the reasoning item, which the client sends back).
  assert.deepEqual(
    input.filter((i) => (i as { type?: string }).type !== "reasoning"),
    recorded.map((i: Record<string, unknown>) =>
      i.role ? { type: "message", ...i } : i
    ),
  );
});

// ---------------------------------------------------------------------------
// A reference model: for a generated answer in each server's events, what
// the caller must observe, at every split and every cut.

const text = fc.oneof(
  fc.constant(""),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    'quote " backslash \\ newline \n tab \t',
    "\u65e5\u672c\u8a9e \u{1F914}",
    "<|channel|> not a marker here",
  ),
);
const call = fc.record({
  id: fc.stringMatching(/^call_[a-z0-9]{1,12}$/),
  name: fc.stringMatching(/^[a-z_]{1,12}$/),
  arguments: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), text, {
    maxKeys: 3,
  }).map((o) => JSON.stringify(o)),
});
const spec: fc.Arbitrary<[ResponsesAnswerSpec, ResponsesDialect]> = fc.tuple(
  fc.record({
    reasoning: text,
    content: text,
    // Servers give each call its own call_id.
    toolCalls: fc.uniqueArray(call, { maxLength: 2, selector: (c) => c.id }),
    status: fc.constantFrom("completed", "incomplete", "cancelled"),
    usage: fc.record({
      input: fc.nat(9000),
      output: fc.nat(4000),
      reasoning: fc.nat(100),
    }),
  }, { requiredKeys: ["reasoning", "content", "toolCalls", "status"] }),
  fc.constantFrom("vllm", "lmstudio", "ollama"),
);

/** What the answer must read as. */
function expected(spec: ResponsesAnswerSpec, dialect: ResponsesDialect) {
  const calls = spec.toolCalls ?? [];
  const reasoning = spec.reasoning ?? "";
  const content = spec.content ?? "";
  const finish = spec.status === "incomplete"
    ? "length"
    : spec.status === "cancelled"
    ? "cancelled"
    : calls.length
    ? "tool_calls"
    : "stop";
  const usage = spec.usage ?? { input: 20, output: 30, reasoning: 10 };
  return {
    message: {
      role: "assistant",
      content: content === "" && calls.length ? null : content,
      ...(reasoning ? { reasoning } : {}),
      ...(calls.length
        ? {
          tool_calls: calls.map((c) => ({
            id: c.id,
            type: "function",
            function: { name: c.name, arguments: c.arguments },
          })),
        }
        : {}),
    },
    finish,
    usage: usage && {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      // Ollama's constant 0 is left out when there is reasoning.
      ...((dialect === "ollama" ? 0 : usage.reasoning) > 0 ||
          reasoning === ""
        ? {
          completion_tokens_details: {
            reasoning_tokens: dialect === "ollama" ? 0 : usage.reasoning,
          },
        }
        : {}),
    },
  };
}

function decode(pieces: string[]) {
  const decoder = new ResponsesEventDecoder({ splitHarmony: false });
  const deltas: StreamDelta[] = [];
  for (const piece of pieces) deltas.push(...decoder.feed(piece));
  deltas.push(...decoder.flush());
  return { decoder, deltas, ended: decoder.end() };
}

Deno.test("model: every server's events, generated answers, every split: the completion is what the answer said, and the deltas add up to it", () => {
  fc.assert(
    fc.property(
      spec,
      fc.array(fc.nat(), { maxLength: 30 }),
      ([s, dialect], cuts) => {
        const sse = responsesStream({
          ...s,
          pieces: (t) => splitAt(t, [3, 7]).filter(Boolean),
        }, dialect);
        const { decoder, deltas, ended } = decode(splitAt(sse, cuts));
        assert.equal(decoder.failure, undefined);
        assert.equal(ended, true);
        const completion = decoder.accumulator.result();
        const want = expected(s, dialect);
        assert.deepEqual(completion.choices[0].message, want.message);
        assert.equal(completion.choices[0].finish_reason, want.finish);
        assert.deepEqual(completion.usage, want.usage);
        const joined = deltas.map((d) => d.reasoning ?? "").join("");
        assert.equal(joined, s.reasoning);
        assert.equal(deltas.map((d) => d.content ?? "").join(""), s.content);
        for (const d of deltas) {
          assert.ok(d.content !== "" && d.reasoning !== "", "no empty pieces");
        }
      },
    ),
    { numRuns: 600 },
  );
});

Deno.test("model: a stream cut anywhere before its terminal event is not ended, and what arrived is a prefix of the answer", () => {
  fc.assert(
    fc.property(
      spec,
      fc.nat(),
      fc.array(fc.nat(), { maxLength: 10 }),
      ([s, dialect], at, cuts) => {
        const sse = responsesStream(s, dialect);
        const end = sse.lastIndexOf("event: response.");
        const cut = sse.slice(0, at % (end + 1));
        const { decoder, ended } = decode(splitAt(cut, cuts));
        assert.equal(ended, false, "a cut stream said it was complete");
        assert.equal(decoder.failure, undefined);
        const got = decoder.accumulator.result(true);
        assert.equal(got.incomplete, true);
        const message = got.choices[0].message;
        assert.ok((s.reasoning ?? "").startsWith(message.reasoning ?? ""));
        assert.ok((s.content ?? "").startsWith(message.content ?? ""));
        for (const [i, c] of (message.tool_calls ?? []).entries()) {
          assert.equal(c.id, s.toolCalls![i].id);
          assert.ok(s.toolCalls![i].arguments.startsWith(c.function.arguments));
        }
      },
    ),
    { numRuns: 400 },
  );
});

Deno.test("model: a server that sends reasoning both as reasoning_text and as summary deltas does not double it; a part or a call's arguments with only a .done event still arrive", () => {
  const events = [
    { type: "response.created", response: { id: "r", model: "m" } },
    { type: "response.reasoning_text.delta", output_index: 0, delta: "Think" },
    {
      type: "response.reasoning_summary_text.delta",
      output_index: 0,
      delta: "Think",
    },
    { type: "response.reasoning_text.done", output_index: 0, text: "Think" },
    { type: "response.output_text.done", output_index: 1, text: "Only done" },
    {
      type: "response.output_item.added",
      output_index: 2,
      item: { type: "function_call", id: "fc", call_id: "c1", name: "f" },
    },
    {
      type: "response.function_call_arguments.done",
      output_index: 2,
      item_id: "fc",
      arguments: '{"a":1}',
    },
    {
      type: "response.completed",
      response: { status: "completed", output: [], usage: null },
    },
  ];
  const sse = events.map((e) =>
    `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`
  ).join("");
  const { decoder } = decode([sse]);
  assert.deepEqual(decoder.accumulator.result().choices[0].message, {
    role: "assistant",
    content: "Only done",
    reasoning: "Think",
    tool_calls: [{
      id: "c1",
      type: "function",
      function: { name: "f", arguments: '{"a":1}' },
    }],
  });
});

// ---------------------------------------------------------------------------
// Over a socket: the client, its request body, errors, discovery.

Deno.test("the body: stateless input items (reasoning item before the call, function_call, function_call_output), store false, max_output_tokens, reasoning.effort, flat tools and tool choice, text.format", async () => {
  await using mock = await startMockServer();
  const client = clientOf(mock.url);
  const tool = {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  };
  await client.generateResponse([
    { role: "system", content: "Be brief." },
    { role: "user", content: [{ type: "text", text: "Weather?" }] },
    {
      role: "assistant",
      content: null,
      reasoning: "I call it.",
      tool_calls: [{
        id: "call_9",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      }],
    },
    { role: "tool", tool_call_id: "call_9", content: "21 C" },
  ], {
    maxTokens: 300,
    topP: 0.5,
    reasoningEffort: "high",
    tools: [tool],
    toolChoice: { type: "function", function: { name: "get_weather" } },
    responseFormat: {
      type: "json_schema",
      json_schema: { name: "w", schema: { type: "object" }, strict: true },
    },
  });
  const body = mock.requests.at(-1)!.body as Record<string, unknown>;
  assert.equal(mock.requests.at(-1)!.path, PATH);
  assert.deepEqual(body.input, [
    { type: "message", role: "system", content: "Be brief." },
    {
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "Weather?" }],
    },
    {
      type: "reasoning",
      summary: [],
      content: [{ type: "reasoning_text", text: "I call it." }],
    },
    {
      type: "function_call",
      call_id: "call_9",
      name: "get_weather",
      arguments: '{"city":"Paris"}',
    },
    { type: "function_call_output", call_id: "call_9", output: "21 C" },
  ]);
  assert.equal(body.store, false);
  assert.equal(body.max_output_tokens, 300);
  assert.equal(body.max_tokens, undefined);
  assert.equal(body.top_p, 0.5);
  assert.deepEqual(body.reasoning, { effort: "high" });
  assert.deepEqual(body.tools, [{
    type: "function",
    name: "get_weather",
    description: "Weather",
    parameters: tool.function.parameters,
  }]);
  assert.deepEqual(body.tool_choice, { type: "function", name: "get_weather" });
  assert.deepEqual(body.text, {
    format: {
      type: "json_schema",
      name: "w",
      schema: { type: "object" },
      strict: true,
    },
  });
  assert.equal(body.messages, undefined);
});

Deno.test("Ollama's server gets the reasoning also in encrypted_content, where Ollama reads it back", async () => {
  await using mock = await startMockServer({ responses: "ollama" });
  const client = clientOf(mock.url, { server: "ollama" });
  await client.generateResponse([
    { role: "user", content: "Hi" },
    {
      role: "assistant",
      content: null,
      reasoning: "Call it.",
      tool_calls: [{
        id: "c",
        type: "function",
        function: { name: "f", arguments: "{}" },
      }],
    },
    { role: "tool", tool_call_id: "c", content: "ok" },
  ]);
  const input = (mock.requests.at(-1)!.body as { input: unknown[] }).input;
  assert.deepEqual(input[1], {
    type: "reasoning",
    summary: [],
    content: [{ type: "reasoning_text", text: "Call it." }],
    encrypted_content: "Call it.",
  });
});

Deno.test("the mock's Ollama, LM Studio and vLLM events through the client: the same answer, streamed and whole", async () => {
  for (const dialect of ["vllm", "lmstudio", "ollama"] as const) {
    await using mock = await startMockServer({ responses: dialect });
    const client = clientOf(mock.url);
    const whole = await client.generateResponse(USER);
    const stream = client.streamResponse(USER);
    let reasoning = "";
    for await (const delta of stream) reasoning += delta.reasoning ?? "";
    const streamed = await stream.completion();
    assert.deepEqual(streamed.choices[0].message, whole.choices[0].message);
    assert.equal(reasoning, whole.choices[0].message.reasoning);
    assert.match(whole.choices[0].message.content!, /You asked: "Say hello"/);
    assert.equal(streamed.serverTruncated, undefined, dialect);
  }
});

Deno.test("previousResponseId: only the new messages with store true; refused on Ollama and llama.cpp, and without api responses; a response format refused on llama.cpp, which drops it", async () => {
  await using mock = await startMockServer();
  const client = clientOf(mock.url);
  await client.generateResponse([
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
    { role: "user", content: "Again" },
  ], { previousResponseId: "resp_1" });
  const body = mock.requests.at(-1)!.body as Record<string, unknown>;
  assert.equal(body.previous_response_id, "resp_1");
  assert.equal(body.store, true);
  assert.deepEqual(body.input, [
    { type: "message", role: "user", content: "Again" },
  ]);
  for (const server of ["ollama", "llamacpp"] as const) {
    await assert.rejects(
      clientOf(mock.url, { server }).generateResponse(USER, {
        previousResponseId: "resp_1",
      }),
      (e) => e instanceof ConfigError && e.message.includes(server),
    );
  }
  await assert.rejects(
    clientOf(mock.url, { server: "llamacpp" }).generateResponse(USER, {
      responseFormat: { type: "json_object" },
    }),
    (e) => e instanceof ConfigError && /drops text\.format/.test(e.message),
  );
  await assert.rejects(
    clientOf(mock.url, { api: "chat" }).generateResponse(USER, {
      previousResponseId: "resp_1",
    }),
    (e) => e instanceof ConfigError && /api: "responses"/.test(e.message),
  );
});

Deno.test("errors: vLLM's prompt over the window is a ContextSizeError with both numbers, streamed or not (vllm-0.32/41, 42); a 404 for an unknown stored response says so (44)", async () => {
  await using mock = await startMockServer();
  const client = clientOf(mock.url);
  mock.enqueue(
    replyOf(await loadCapture("vllm-0.32/41_responses_too_long")),
    PATH,
  );
  await assert.rejects(
    client.generateResponse(USER),
    (e) =>
      e instanceof ContextSizeError && e.promptTokens === 9068 &&
      e.maxContextSize === 8192,
  );
  mock.enqueue(
    replyOf(await loadCapture("vllm-0.32/42_responses_too_long_stream")),
    PATH,
  );
  await assert.rejects(
    client.streamResponse(USER).completion(),
    (e) => e instanceof ContextSizeError && e.promptTokens === 9068,
  );
  mock.enqueue(
    replyOf(await loadCapture("vllm-0.32/44_responses_previous_response_id")),
    PATH,
  );
  await assert.rejects(
    client.generateResponse(USER, { previousResponseId: "resp_x" }),
    (e) =>
      e instanceof ApiError && e.status === 404 &&
      /VLLM_ENABLE_RESPONSES_API_STORE/.test(e.message),
  );
});

Deno.test("errors: response.failed and error events mid-stream end it with the typed error and what arrived before in error.partial; vLLM's prompt-length message is a ContextSizeError", async () => {
  const head = responsesStream(
    { reasoning: "Some thought", content: "Part" },
    "vllm",
  );
  const body = head.slice(0, head.indexOf("event: response.output_text.done"));
  const failures = [
    {
      type: "response.failed",
      response: {
        status: "failed",
        error: { code: "server_error", message: "engine died" },
      },
    },
    { type: "error", code: "server_error", message: "engine died" },
    {
      type: "response.failed",
      response: {
        status: "failed",
        error: {
          code: "invalid_prompt",
          message:
            "The engine prompt length 9068 exceeds the max_model_len 8192",
        },
      },
    },
  ];
  await using mock = await startMockServer();
  const client = clientOf(mock.url);
  for (const [i, failure] of failures.entries()) {
    for (const writes of SPLITS) {
      mock.enqueue({
        sse: `${body}event: ${failure.type}\ndata: ${
          JSON.stringify(failure)
        }\n\n`,
        writes,
      }, PATH);
      const stream = client.streamResponse(USER);
      let content = "";
      const error = await (async () => {
        try {
          for await (const d of stream) content += d.content ?? "";
        } catch (e) {
          return e;
        }
      })();
      assert.ok(error instanceof GptOssError, String(error));
      assert.ok(
        i === 2 ? error instanceof ContextSizeError : error instanceof ApiError,
      );
      if (i === 2) {
        assert.equal((error as ContextSizeError).promptTokens, 9068);
        assert.equal((error as ContextSizeError).maxContextSize, 8192);
      } else assert.match(error.message, /engine died/);
      assert.equal(content, "Part", "what arrived before reached the caller");
      assert.equal(error.partial?.choices[0].message.reasoning, "Some thought");
      assert.equal(error.partial?.choices[0].message.content, "Part");
    }
  }
});

Deno.test("a stream cut before its terminal event over a socket: an error whose partial is what arrived, tagged incomplete", async () => {
  await using mock = await startMockServer();
  const full = responsesStream({
    reasoning: "Think hard",
    content: "Half an answer",
  });
  mock.enqueue({
    sse: full.slice(0, full.indexOf("event: response.output_text.done")),
    writes: 7,
  }, PATH);
  await assert.rejects(
    clientOf(mock.url).streamResponse(USER).completion(),
    (e) =>
      e instanceof GptOssError && e.partial?.incomplete === true &&
      e.partial.choices[0].message.content === "Half an answer" &&
      e.partial.choices[0].message.reasoning === "Think hard",
  );
});

Deno.test("a server without /v1/responses: api responses is a ConfigError that says so; discover() tells whether it serves it", async () => {
  await using old = await startMockServer({ responses: false });
  await assert.rejects(
    clientOf(old.url).generateResponse(USER),
    (e) =>
      e instanceof ConfigError && /\/v1\/responses/.test(e.message) &&
      /api: "chat"/.test(e.message),
  );
  await assert.rejects(
    clientOf(old.url).streamResponse(USER).completion(),
    (e) => e instanceof ConfigError,
  );
  assert.equal((await clientOf(old.url).discover()).responsesApi, false);
  await using current = await startMockServer();
  assert.equal((await clientOf(current.url).discover()).responsesApi, true);
  const probe = current.requests.find((r) => r.path === PATH)!;
  assert.deepEqual(probe.body, { input: 0 }, "a probe that generates nothing");
});

Deno.test("runToolLoop and generateObject speak /v1/responses with api responses", async () => {
  await using mock = await startMockServer();
  const call = { id: "call_7", name: "ping", arguments: "{}" };
  mock.enqueue({
    json: responsesBody({ reasoning: "Ping it.", toolCalls: [call] }),
  }, PATH);
  mock.enqueue({ json: responsesBody({ content: "pong it was" }) }, PATH);
  const client = clientOf(mock.url);
  const ping = defineTool({ name: "ping", execute: () => "pong" });
  const result = await runToolLoop(client, USER, { tools: [ping] });
  assert.equal(result.rounds, 2);
  assert.equal(result.completion.choices[0].message.content, "pong it was");
  const second = mock.requests.at(-1)!.body as { input: { type: string }[] };
  assert.deepEqual(second.input.map((i) => i.type), [
    "message",
    "reasoning",
    "function_call",
    "function_call_output",
  ]);
  mock.enqueue({
    json: {
      ...((await import("../testing/mod.ts")).responsesBody({
        content: '{"n":1}',
      })),
    },
  }, PATH);
  const { object } = await generateObject(client, USER, {
    schema: { type: "object", properties: { n: { type: "number" } } },
  });
  assert.deepEqual(object, { n: 1 });
  const body = mock.requests.at(-1)!.body as {
    text: { format: { type: string } };
  };
  assert.equal(body.text.format.type, "json_schema");
});

Deno.test("history: an earlier turn's reasoning is not sent back; the reasoning of the unfinished tool-calling exchange is, as a reasoning item before its call", async () => {
  await using mock = await startMockServer();
  const call = (id: string) => ({
    id,
    type: "function" as const,
    function: { name: "f", arguments: "{}" },
  });
  await clientOf(mock.url).generateResponse([
    { role: "user", content: "First" },
    { role: "assistant", content: "Answer one", reasoning: "Old thought" },
    { role: "user", content: "Second" },
    {
      role: "assistant",
      content: null,
      reasoning: "Current thought",
      tool_calls: [call("c2")],
    },
    { role: "tool", tool_call_id: "c2", content: "result" },
  ]);
  const input =
    (mock.requests.at(-1)!.body as { input: Record<string, unknown>[] })
      .input;
  assert.deepEqual(input.map((i) => i.type), [
    "message",
    "message",
    "message",
    "reasoning",
    "function_call",
    "function_call_output",
  ]);
  assert.deepEqual(input[1], {
    type: "message",
    role: "assistant",
    content: [{ type: "output_text", text: "Answer one" }],
  });
  assert.deepEqual(input[3].content, [{
    type: "reasoning_text",
    text: "Current thought",
  }]);
});

/** SSE text of events, each named by its type. */
function eventsText(events: Record<string, unknown>[]): string {
  return events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
    .join("");
}

Deno.test("a stream that sends no deltas, only the terminal response: its output is the answer, calls and finish reason included", () => {
  const response = {
    id: "r",
    status: "completed",
    output: [
      {
        type: "reasoning",
        summary: [],
        content: [{ type: "reasoning_text", text: "Think" }],
      },
      { type: "function_call", call_id: "c1", name: "f", arguments: '{"a":1}' },
      { type: "function_call", call_id: "c2", name: "g", arguments: "{}" },
    ],
  };
  const { decoder, ended } = decode([
    eventsText([{ type: "response.completed", response }]),
  ]);
  assert.equal(ended, true);
  const completion = decoder.accumulator.result();
  assert.equal(completion.choices[0].finish_reason, "tool_calls");
  assert.deepEqual(
    completion.choices[0].message.tool_calls?.map((
      c,
    ) => [c.id, c.function.name]),
    [["c1", "f"], ["c2", "g"]],
  );
  assert.equal(completion.choices[0].message.reasoning, "Think");
});

Deno.test("argument pieces that come before their call's output_item.added make one call, not two", () => {
  const { decoder } = decode([eventsText([
    {
      type: "response.function_call_arguments.delta",
      output_index: 0,
      item_id: "fc",
      delta: '{"a":',
    },
    {
      type: "response.output_item.added",
      output_index: 0,
      item: { type: "function_call", id: "fc", call_id: "c", name: "f" },
    },
    {
      type: "response.function_call_arguments.delta",
      output_index: 0,
      item_id: "fc",
      delta: "1}",
    },
    { type: "response.completed", response: { status: "completed" } },
  ])]);
  const calls = decoder.accumulator.result().choices[0].message.tool_calls!;
  assert.equal(calls.length, 1);
  assert.equal(calls[0].function.arguments, '{"a":1}');
});

Deno.test("every way to stop a Responses stream: leaving the loop cancels the request on the server; an abort is an AbortError with the partial; a silent server is a TimeoutError with the partial", async () => {
  const body = responsesStream({
    reasoning: "The user wants a story about a cat",
    content: "Once upon a time",
  });
  await using mock = await startMockServer();
  // Leaving the loop.
  mock.enqueue({ sse: body, writes: "event", delayMs: 20 }, PATH);
  const left = clientOf(mock.url).streamResponse(USER);
  let seen = 0;
  for await (const _ of left) if (++seen === 3) break;
  const partial = await left.completion();
  assert.equal(partial.incomplete, true);
  assert.equal(partial.choices[0].message.reasoning, "The user wants");
  await waitFor(() => mock.requests.at(-1)!.cancelled);
  // An abort.
  mock.enqueue({ sse: body, writes: "event", delayMs: 20 }, PATH);
  const controller = new AbortController();
  const aborted = clientOf(mock.url).streamResponse(USER, {
    signal: controller.signal,
  });
  const got: StreamDelta[] = [];
  await assert.rejects(
    (async () => {
      for await (const delta of aborted) {
        got.push(delta);
        if (got.length === 2) controller.abort();
      }
    })(),
    (e) =>
      e instanceof AbortError && e.partial?.incomplete === true &&
      e.partial.choices[0].message.reasoning === "The user",
  );
  // A server that goes silent mid-stream: what came is in error.partial.
  const cut = body.indexOf("event: response.output_text.delta");
  mock.enqueue({ sse: body, writes: [cut], delayMs: 2000 }, PATH);
  await assert.rejects(
    clientOf(mock.url, { timeout: 150 }).streamResponse(USER).completion(),
    (e) =>
      e instanceof TimeoutError && e.limit === "idle" &&
      e.partial?.choices[0].message.reasoning ===
        "The user wants a story about a cat",
  );
});

Deno.test("two calls whose argument pieces interleave stay apart, each matched by item_id or output_index", () => {
  const added = (i: number) => ({
    type: "response.output_item.added",
    output_index: i,
    item: {
      type: "function_call",
      id: `fc${i}`,
      call_id: `c${i}`,
      name: `f${i}`,
    },
  });
  const piece = (i: number, delta: string, by: "id" | "index") => ({
    type: "response.function_call_arguments.delta",
    ...(by === "id" ? { item_id: `fc${i}` } : { output_index: i }),
    delta,
  });
  const events = [
    added(0),
    added(1),
    piece(0, '{"a":', "id"),
    piece(1, '{"b":', "index"),
    piece(1, "2}", "id"),
    piece(0, "1}", "index"),
    { type: "response.completed", response: { status: "completed" } },
  ];
  for (const cuts of [[], [1], [17, 90, 200, 333]]) {
    const { decoder } = decode(splitAt(eventsText(events), cuts));
    assert.deepEqual(
      decoder.accumulator.result().choices[0].message.tool_calls?.map((c) => [
        c.id,
        c.function.name,
        c.function.arguments,
      ]),
      [["c0", "f0", '{"a":1}'], ["c1", "f1", '{"b":2}']],
    );
  }
});
