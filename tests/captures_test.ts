/**
 * The captures of real servers (tests/fixtures/captures: vLLM at 28be48fa9,
 * llama-server at 3f545bec, LM Studio 2026-09; each folder's README says how
 * they were made) replayed through the client, whole and cut into every kind
 * of read, against what each server meant.
 */

import assert from "node:assert/strict";
import {
  ApiError,
  type ChatCompletion,
  type ChatMessage,
  ContextSizeError,
  estimatingTokenizer,
  GptOssClient,
  parseToolCalls,
  type ReasoningEffort,
  type Renderer,
  renderHarmonyPrompt,
  type ServerKind,
  type ToolDefinition,
} from "../mod.ts";
import { messageTokenCounts } from "../src/context/count.ts";
import { serverTruncation } from "../src/context/server_truncation.ts";
import { gptOssTokenizer } from "../tokenizer/mod.ts";
import { startMockServer, type WritePlan } from "../testing/mod.ts";
import {
  type Capture,
  loadCapture,
  loadExchange,
  replyOf,
} from "./_captures.ts";

const SPLITS: WritePlan[] = ["whole", "event", 1, 7, 64];

/** The completion of a captured answer, and for a stream the same for every read split. */
async function replay(
  capture: Capture,
  server: ServerKind,
): Promise<ChatCompletion> {
  await using mock = await startMockServer();
  const client = new GptOssClient({
    baseUrl: mock.url,
    model: "m",
    server,
    maxRetries: 0,
  });
  const messages = (capture.request?.messages as never) ??
    [{ role: "user", content: "hi" }];
  const streamed = capture.headers["content-type"]?.startsWith(
    "text/event-stream",
  );
  if (!streamed) {
    mock.enqueue(replyOf(capture));
    return await client.generateResponse(messages);
  }
  const results: ChatCompletion[] = [];
  for (const writes of SPLITS) {
    mock.enqueue(replyOf(capture, writes));
    results.push(await client.streamResponse(messages).completion());
  }
  const strip = (c: ChatCompletion) => ({
    ...c,
    stats: undefined,
    created: undefined,
  });
  for (const r of results) {
    assert.deepEqual(
      strip(r),
      strip(results[0]),
      `${capture.name}: the same for any split`,
    );
  }
  return results[0];
}

const VLLM_REASONING =
  "The user asks a simple question, so I should reply briefly.";
const VLLM_ANSWER = "Hello! This tiny scripted gpt-oss test peer runs on vLLM";

Deno.test("vLLM: whole and streamed answers give the reasoning and the answer apart, and usage (vllm/02, 03, 04)", async () => {
  for (
    const name of [
      "vllm/02_chat",
      "vllm/03_chat_stream",
      "vllm/04_chat_stream_usage",
    ]
  ) {
    const completion = await replay(await loadCapture(name), "vllm");
    assert.deepEqual(completion.choices[0].message, {
      role: "assistant",
      content: VLLM_ANSWER,
      reasoning: VLLM_REASONING,
    }, name);
    assert.equal(completion.choices[0].finish_reason, "stop");
    if (name !== "vllm/03_chat_stream") {
      assert.deepEqual(completion.usage, {
        prompt_tokens: 77,
        completion_tokens: 39,
        total_tokens: 116,
      });
    }
  }
});

Deno.test("vLLM: a tool call, whole (arguments re-serialised with spaces) and streamed (raw tokens) (vllm/07, 08)", async () => {
  const whole = await replay(await loadCapture("vllm/07_tools"), "vllm");
  const streamed = await replay(
    await loadCapture("vllm/08_tools_stream"),
    "vllm",
  );
  for (const completion of [whole, streamed]) {
    const { message } = completion.choices[0];
    assert.equal(message.content, null);
    assert.equal(message.reasoning, "I should call the weather tool.");
    assert.equal(completion.choices[0].finish_reason, "tool_calls");
    const [call] = parseToolCalls(completion);
    assert.equal(call.name, "get_weather");
    assert.deepEqual(call.arguments, { city: "Paris", unit: "celsius" });
    assert.match(call.id, /^chatcmpl-tool-/);
  }
  assert.equal(
    whole.choices[0].message.tool_calls![0].function.arguments,
    '{"city": "Paris", "unit": "celsius"}',
  );
  assert.equal(
    streamed.choices[0].message.tool_calls![0].function.arguments,
    '{"city":"Paris","unit":"celsius"}',
  );
});

Deno.test("vLLM: max_tokens reached mid-reasoning ends with finish reason length (vllm/09, 10)", async () => {
  for (const name of ["vllm/09_max_tokens5", "vllm/10_max_tokens5_stream"]) {
    const completion = await replay(await loadCapture(name), "vllm");
    assert.equal(completion.choices[0].finish_reason, "length", name);
    assert.equal(completion.choices[0].message.reasoning, "The user");
    assert.ok(!completion.choices[0].message.content);
    assert.deepEqual(completion.usage, {
      prompt_tokens: 77,
      completion_tokens: 5,
      total_tokens: 82,
    });
  }
});

Deno.test("vLLM: a prompt over the window is a ContextSizeError with both of vLLM's numbers, streamed or not (vllm/11, 12)", async () => {
  for (const name of ["vllm/11_too_long", "vllm/12_too_long_stream"]) {
    const capture = await loadCapture(name);
    await using mock = await startMockServer();
    mock.enqueue(replyOf(capture));
    const client = new GptOssClient({
      baseUrl: mock.url,
      model: "m",
      maxRetries: 0,
    });
    const ask = [{ role: "user" as const, content: "long" }];
    const error = name.includes("stream")
      ? await client.streamResponse(ask).completion().catch((e) => e)
      : await client.generateResponse(ask).catch((e) => e);
    assert.ok(error instanceof ContextSizeError, `${name}: ${error}`);
    assert.equal(error.promptTokens, 9068);
    assert.equal(error.maxContextSize, 8192);
    assert.equal(error.status, 400);
    assert.ok(!error.message.includes(".."), error.message);
    assert.match(
      error.message,
      /the prompt needs 9068 tokens, the context window is 8192/,
    );
  }
});

Deno.test("vLLM: an unknown model is an ApiError 404 with vLLM's message (vllm/14)", async () => {
  const capture = await loadCapture("vllm/14_unknown_model");
  await using mock = await startMockServer();
  mock.enqueue(replyOf(capture));
  const error = await new GptOssClient({
    baseUrl: mock.url,
    model: "no-such-model",
  })
    .generateResponse([{ role: "user", content: "hi" }]).catch((e) => e);
  assert.ok(error instanceof ApiError && !(error instanceof ContextSizeError));
  assert.equal(error.status, 404);
  assert.match(error.serverMessage, /does not exist/);
});

Deno.test("vLLM: discover() reads the window from /v1/models (vllm/01)", async () => {
  const capture = await loadCapture("vllm/01_models");
  await using mock = await startMockServer();
  mock.enqueue(replyOf(capture), "/v1/models");
  const info = await new GptOssClient({ baseUrl: mock.url }).discover();
  assert.equal(info.server, "vllm");
  assert.equal(info.model, "openai/gpt-oss-20b");
  assert.equal(info.contextLength, 8192);
});

Deno.test('llama.cpp: a tool call whole (content "") and streamed (the header carries "{") give the same message (llamacpp/20, 21)', async () => {
  const whole = await replay(
    await loadCapture("llamacpp/20-toolcall-nonstream"),
    "llamacpp",
  );
  const streamed = await replay(
    await loadCapture("llamacpp/21-toolcall-stream-include-usage"),
    "llamacpp",
  );
  for (const completion of [whole, streamed]) {
    const { message } = completion.choices[0];
    assert.equal(
      message.content,
      null,
      "no answer text: null, whole or streamed",
    );
    assert.equal(message.reasoning, "I should call the weather tool.");
    assert.equal(message.tool_calls!.length, 1);
    assert.equal(
      message.tool_calls![0].function.arguments,
      '{"city":"Paris","unit":"celsius"}',
    );
    assert.match(message.tool_calls![0].id, /^[A-Za-z0-9]{32}$/);
    assert.equal(completion.choices[0].finish_reason, "tool_calls");
    assert.deepEqual(
      {
        prompt: completion.usage!.prompt_tokens,
        completion: completion.usage!.completion_tokens,
      },
      { prompt: 151, completion: 36 },
    );
    assert.ok(completion.timings, "llama.cpp's timings are kept");
  }
});

Deno.test("llama.cpp with --reasoning-format none: the raw analysis in content is split from the answer (llamacpp/23)", async () => {
  const completion = await replay(
    await loadCapture(
      "llamacpp/23-scripted-stream-server-reasoning-format-none",
    ),
    "llamacpp",
  );
  assert.deepEqual(completion.choices[0].message, {
    role: "assistant",
    content: "Hello! This tiny scripted gpt-oss test peer 🦙 runs on llama.cpp",
    reasoning: "The user asks a simple question, so I should reply briefly.",
  });
  assert.deepEqual(
    {
      prompt: completion.usage!.prompt_tokens,
      completion: completion.usage!.completion_tokens,
    },
    { prompt: 87, completion: 41 },
  );
});

Deno.test("llama.cpp: the chat template's rendering is exactly renderHarmonyPrompt's (llamacpp/26, 27, 28)", async () => {
  for (
    const name of [
      "26-apply-template-default",
      "27-apply-template-reasoning-effort-high",
      "28-apply-template-chat-template-kwargs-low",
    ]
  ) {
    const capture = await loadCapture(`llamacpp/${name}`);
    const request = capture.request as {
      messages: never;
      reasoning_effort?: "high";
      chat_template_kwargs?: { reasoning_effort: "low" };
    };
    const effort = request.reasoning_effort ??
      request.chat_template_kwargs?.reasoning_effort;
    assert.equal(
      renderHarmonyPrompt(request.messages, {
        currentDate: "2026-12-01",
        ...(effort ? { reasoningEffort: effort } : {}),
      }),
      JSON.parse(capture.body).prompt,
      name,
    );
  }
});

Deno.test("LM Studio: role on the first chunk only, finish on a chunk of its own, usage apart with its reasoning tokens (lmstudio/33)", async () => {
  const exchange = await loadExchange(
    "lmstudio/33-lmstudio-chat-stream-reasoning-finish-usage-gptoss",
  );
  const capture: Capture = {
    name: "lmstudio/33",
    status: exchange.response.status,
    headers: { "content-type": "text/event-stream" },
    body: exchange.response.sse!,
    request: JSON.parse(exchange.request.body!),
  };
  const completion = await replay(capture, "lmstudio");
  assert.equal(completion.choices[0].message.content, "1, 2, 3");
  assert.ok(completion.choices[0].message.reasoning!.length > 0);
  assert.equal(completion.choices[0].finish_reason, "stop");
  assert.deepEqual(
    {
      prompt: completion.usage!.prompt_tokens,
      completion: completion.usage!.completion_tokens,
    },
    { prompt: 74, completion: 29 },
  );
  // Its reasoning count, where it sends one.
  assert.deepEqual(completion.usage!.completion_tokens_details, {
    reasoning_tokens: 12,
  });
});

Deno.test("no captured answer reads as a prompt the server cut: each server's own count against the client's, exact and estimated", async () => {
  const exchange = await loadExchange(
    "lmstudio/33-lmstudio-chat-stream-reasoning-finish-usage-gptoss",
  );
  const lmStudio: Capture = {
    name: "lmstudio/33",
    status: exchange.response.status,
    headers: { "content-type": "text/event-stream" },
    body: exchange.response.sse!,
    request: JSON.parse(exchange.request.body!),
  };
  const cases: [Capture, ServerKind, Renderer][] = [
    ...await Promise.all(
      [
        "02_chat",
        "03_chat_stream",
        "04_chat_stream_usage",
        "07_tools",
        "08_tools_stream",
        "09_max_tokens5",
        "10_max_tokens5_stream",
      ].map(async (name): Promise<[Capture, ServerKind, Renderer]> => [
        await loadCapture(`vllm/${name}`),
        "vllm",
        // The captured build renders as vLLM 0.22 (see harmony_reference_test.ts).
        "vllm-0.22",
      ]),
    ),
    ...await Promise.all(
      [
        "20-toolcall-nonstream",
        "21-toolcall-stream-include-usage",
        "23-scripted-stream-server-reasoning-format-none",
      ].map(async (name): Promise<[Capture, ServerKind, Renderer]> => [
        await loadCapture(`llamacpp/${name}`),
        "llamacpp",
        "template",
      ]),
    ),
    [lmStudio, "lmstudio", "template"],
  ];
  let compared = 0;
  for (const [capture, server, renderer] of cases) {
    const completion = await replay(capture, server);
    assert.equal(completion.serverTruncated, undefined, capture.name);
    const reported = completion.usage?.prompt_tokens;
    if (reported === undefined) continue;
    const request = capture.request!;
    const effort = request.reasoning_effort as ReasoningEffort | undefined;
    for (const tokenizer of [gptOssTokenizer, estimatingTokenizer]) {
      const sent = messageTokenCounts(
        request.messages as ChatMessage[],
        tokenizer,
        {
          ...(request.tools
            ? { tools: request.tools as ToolDefinition[] }
            : {}),
          ...(effort ? { reasoningEffort: effort } : {}),
          renderer,
        },
      ).total;
      if (tokenizer === gptOssTokenizer) {
        // The exact count is each server's own: vLLM's 77 and 142,
        // llama.cpp's 151 and 87, LM Studio's 74.
        assert.equal(sent, reported, capture.name);
      }
      // Even with no window to compare with (the guard off), the counts are
      // too close to read as a cut.
      const cut = serverTruncation(
        { tokens: sent, exact: tokenizer.exact === true },
        reported,
        1,
      );
      assert.equal(
        cut,
        undefined,
        `${capture.name}: ${sent} sent, ${reported} read`,
      );
      compared++;
    }
  }
  assert.ok(compared >= 20, `${compared} compared`);
});

Deno.test("llama.cpp's parser rejecting a sample (llamacpp/07) is tried once more even with maxRetries 0; not when opted out, never twice", async () => {
  const capture = await loadCapture("llamacpp/07-random-weights-parse-error");
  await using mock = await startMockServer();
  const client = new GptOssClient({
    baseUrl: mock.url,
    model: "m",
    server: "llamacpp",
    maxRetries: 0,
  });
  const ask = capture.request!.messages as ChatMessage[];
  const chats = () =>
    mock.requests.filter((r) => r.path === "/v1/chat/completions").length;
  // A rejected sample, then a good one: the caller gets the good one.
  mock.enqueue(replyOf(capture));
  const answer = await client.generateResponse(ask);
  assert.match(answer.choices[0].message.content!, /You asked/);
  assert.equal(chats(), 2);
  // The same for a stream request (the 500 comes before any event).
  mock.enqueue(replyOf(capture));
  const streamed = await client.streamResponse(ask).completion();
  assert.match(streamed.choices[0].message.content!, /You asked/);
  assert.equal(chats(), 4);
  // Twice rejected: the server's error, after two tries, not three.
  mock.enqueue(replyOf(capture));
  mock.enqueue(replyOf(capture));
  await assert.rejects(
    client.generateResponse(ask),
    (error: unknown) =>
      error instanceof ApiError && error.status === 500 &&
      /does not match the expected peg-native format/.test(error.serverMessage),
  );
  assert.equal(chats(), 6);
  // Opted out for one call.
  mock.enqueue(replyOf(capture));
  await assert.rejects(
    client.generateResponse(ask, { retryParseFailures: false }),
    ApiError,
  );
  assert.equal(chats(), 7);
  // Another 500 is not a parse failure: with maxRetries 0, not tried again.
  mock.enqueue({
    status: 500,
    json: { error: { message: "CUDA out of memory" } },
  });
  await assert.rejects(client.generateResponse(ask), ApiError);
  assert.equal(chats(), 8);
});
