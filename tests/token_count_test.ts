import assert from "node:assert/strict";
import {
  ApiError,
  type ChatMessage,
  countMessageTokens,
  GptOssClient,
  InvalidMessageError,
  renderHarmonyPrompt,
  type ToolDefinition,
} from "../mod.ts";
import { startMockServer } from "../testing/mod.ts";
import { gptOssTokenizer } from "../tokenizer/mod.ts";

const tools: ToolDefinition[] = [{
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the weather.",
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    },
  },
}];

const conversation: ChatMessage[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Weather in Oslo?" },
  {
    role: "assistant",
    content: "Cold.",
    reasoning: "Earlier reasoning, not sent.",
  },
  { role: "user", content: "And in Rome?" },
];

/** What the prompt is, as the template renders what the client sends. */
function exactCount(messages: ChatMessage[], effort?: "high") {
  const sent = messages.map(({ reasoning: _, ...m }) => m as ChatMessage);
  return gptOssTokenizer.count(
    renderHarmonyPrompt(sent, {
      tools,
      ...(effort ? { reasoningEffort: effort } : {}),
    }),
  );
}

Deno.test("countTokens() on vLLM counts what its chat path counts: the harmony rendering, tokenized by vLLM", async () => {
  await using server = await startMockServer({
    counting: "vllm",
    tokenizer: gptOssTokenizer,
  });
  const client = new GptOssClient({ baseUrl: server.url });
  const count = await client.countTokens(conversation, {
    tools,
    reasoningEffort: "high",
  });
  const sent = conversation.map(({ reasoning: _, ...m }) => m as ChatMessage);
  const harmony = {
    renderer: "harmony" as const,
    tools,
    reasoningEffort: "high" as const,
  };
  assert.deepEqual(count, {
    promptTokens: countMessageTokens(sent, {
      ...harmony,
      tokenizer: gptOssTokenizer,
    }),
    source: "vllm",
    exact: true,
    maxContextSize: 131072,
  });
  const asked = server.requests.filter((r) => r.path === "/tokenize");
  assert.equal(asked.length, 1);
  const body = asked[0].body as Record<string, unknown>;
  assert.equal(body.prompt, renderHarmonyPrompt(sent, harmony));
  assert.equal(body.add_special_tokens, false);
  assert.equal(
    body.messages,
    undefined,
    "not the template's rendering of messages",
  );
  assert.equal(body.model, "openai/gpt-oss-20b");
  assert.ok(
    !(body.prompt as string).includes("Earlier reasoning"),
    "earlier turns' reasoning is left out, as in a request",
  );
  // The server was discovered once, by its model list; no other endpoint was tried.
  assert.deepEqual(server.requests.map((r) => r.path), [
    "/v1/models",
    "/tokenize",
  ]);
  // A tool call and its result render header parts side by side, which a
  // tokenizer of the whole text may join: then it is not the chat path's count.
  const called = await client.countTokens([
    { role: "user", content: "Weather in Oslo?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{
        id: "c1",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
      }],
    },
    { role: "tool", tool_call_id: "c1", content: "18 C" },
  ], { tools });
  assert.equal(called.source, "vllm");
  assert.equal(called.exact, false);
});

Deno.test("countTokens() with the exact tokenizer equals vLLM's own prompt_tokens (captures vllm/02, vllm/07), without asking", async () => {
  await using server = await startMockServer({ counting: "vllm" });
  const client = new GptOssClient({
    baseUrl: server.url,
    tokenizer: gptOssTokenizer,
    server: "vllm",
  });
  const cases = [
    // vllm/02_chat: prompt_tokens 77 (the template would make 80).
    {
      messages: [{ role: "system", content: "You are terse." }, {
        role: "user",
        content: "Say hello",
      }],
      tools: undefined,
      reported: 77,
    },
    // vllm/07_tools: prompt_tokens 142.
    {
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [{
        type: "function",
        function: {
          name: "get_weather",
          description: "Get the current weather for a city",
          parameters: {
            type: "object",
            properties: {
              city: { type: "string", description: "City name" },
              unit: { type: "string", enum: ["celsius", "fahrenheit"] },
            },
            required: ["city"],
          },
        },
      }],
      reported: 142,
    },
  ] as const;
  for (const c of cases) {
    const count = await client.countTokens(
      c.messages as unknown as ChatMessage[],
      c.tools ? { tools: c.tools as unknown as ToolDefinition[] } : {},
    );
    assert.deepEqual(count, {
      promptTokens: c.reported,
      source: "tokenizer",
      exact: true,
    });
  }
  assert.deepEqual(
    server.requests,
    [],
    "counted here, as vLLM's chat path counts",
  );
});

Deno.test("countTokens() renders with llama.cpp's /apply-template, then counts with /tokenize", async () => {
  await using server = await startMockServer({
    counting: "llamacpp",
    tokenizer: gptOssTokenizer,
  });
  const client = new GptOssClient({ baseUrl: server.url, server: "llamacpp" });
  const count = await client.countTokens(conversation, { tools });
  assert.deepEqual(count, {
    promptTokens: exactCount(conversation),
    source: "llamacpp",
    exact: true,
  });
  assert.deepEqual(server.requests.map((r) => r.path), [
    "/apply-template",
    "/tokenize",
  ]);
  const tokenize = server.requests[1].body as Record<string, unknown>;
  assert.equal(
    tokenize.parse_special,
    true,
    "special tokens count as one each",
  );
  assert.equal(tokenize.add_special, false);
  assert.match(tokenize.content as string, /^<\|start\|>system<\|message\|>/);
});

Deno.test("countTokens() falls back to the local tokenizer where the server cannot count", async () => {
  await using server = await startMockServer();
  const estimating = new GptOssClient({ baseUrl: server.url });
  const estimate = await estimating.countTokens(conversation);
  assert.equal(estimate.source, "estimate");
  assert.equal(estimate.exact, false);
  const sent = conversation.map(({ reasoning: _, ...m }) => m as ChatMessage);
  const exactTokens = gptOssTokenizer.count(renderHarmonyPrompt(sent));
  assert.ok(
    estimate.promptTokens >= exactTokens &&
      estimate.promptTokens < exactTokens * 1.4,
    `${estimate.promptTokens} estimated for ${exactTokens}`,
  );
  // Unknown server: both endpoints were tried and answered 404.
  assert.ok(server.requests.some((r) => r.path === "/tokenize"));
  assert.ok(server.requests.some((r) => r.path === "/apply-template"));

  const exact = new GptOssClient({
    baseUrl: server.url,
    tokenizer: gptOssTokenizer,
    server: "ollama",
  });
  const before = server.requests.length;
  const count = await exact.countTokens([{ role: "user", content: "Hi" }]);
  assert.equal(count.source, "tokenizer");
  assert.equal(count.exact, true);
  assert.equal(
    server.requests.length,
    before,
    "Ollama has no counting endpoint: nothing is asked",
  );
});

Deno.test("countTokens() with local: true asks nothing", async () => {
  await using server = await startMockServer({ counting: "vllm" });
  const client = new GptOssClient({
    baseUrl: server.url,
    tokenizer: gptOssTokenizer,
  });
  const count = await client.countTokens([{ role: "user", content: "Hi" }], {
    local: true,
  });
  assert.equal(count.source, "tokenizer");
  assert.equal(server.requests.length, 0);
});

Deno.test("countTokens() reads llama.cpp's text /tokenize answer as no chat count and goes on", async () => {
  // An unknown server whose /tokenize is llama.cpp's: it answers the chat
  // body with a token list and no `count`.
  await using server = await startMockServer();
  server.enqueue({ json: { tokens: [1, 2] } }, "/tokenize");
  server.enqueue({
    json: { prompt: "<|start|>user<|message|>Hi<|end|><|start|>assistant" },
  }, "/apply-template");
  server.enqueue({
    json: { tokens: [200006, 1428, 200008, 12194, 200007, 200006, 173781] },
  }, "/tokenize");
  const client = new GptOssClient({ baseUrl: server.url });
  const count = await client.countTokens([{ role: "user", content: "Hi" }]);
  assert.deepEqual(count, { promptTokens: 7, source: "llamacpp", exact: true });
});

Deno.test("countTokens() reports a server failure instead of hiding it", async () => {
  await using server = await startMockServer({ counting: "vllm" });
  server.enqueue({
    status: 500,
    json: { error: { message: "tokenizer crashed" } },
  }, "/tokenize");
  const client = new GptOssClient({
    baseUrl: server.url,
    server: "vllm",
    maxRetries: 0,
  });
  await assert.rejects(
    client.countTokens([{ role: "user", content: "Hi" }]),
    (error: unknown) => error instanceof ApiError && error.status === 500,
  );
  await assert.rejects(
    client.countTokens([{ role: "nobody" } as unknown as ChatMessage]),
    InvalidMessageError,
  );
});
