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

Deno.test("countTokens() on vLLM counts what its chat path counts: its release's harmony rendering, tokenized by vLLM", async () => {
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
    renderer: "vllm" as const,
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
  // Discovery (the model list, the version), the render endpoint (off: 403
  // as on a vLLM 0.30 without --enable-scale-out), then /tokenize.
  assert.deepEqual(server.requests.map((r) => r.path), [
    "/v1/models",
    "/version",
    "/v1/chat/completions/render",
    "/tokenize",
  ]);
  const body = server.requests[3].body as Record<string, unknown>;
  const prompt = body.prompt as string;
  // The pieces openai-harmony encodes apart are kept apart by a special token.
  assert.equal(
    prompt.replaceAll("<|end|>", ""),
    renderHarmonyPrompt(sent, harmony).replaceAll("<|end|>", ""),
  );
  assert.equal(body.add_special_tokens, false);
  assert.equal(body.messages, undefined, "not the template's rendering");
  assert.equal(body.model, "openai/gpt-oss-20b");
  assert.ok(
    !prompt.includes("Earlier reasoning"),
    "earlier turns' reasoning is left out, as in a request",
  );
  // A tool call and its result: header pieces side by side, kept apart.
  const toolTurn: ChatMessage[] = [
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
  ];
  const called = await client.countTokens(toolTurn, { tools });
  assert.deepEqual(called, {
    promptTokens: countMessageTokens(toolTurn, {
      tools,
      renderer: "vllm",
      tokenizer: gptOssTokenizer,
    }),
    source: "vllm",
    exact: true,
    maxContextSize: 131072,
  });
  const tokenized = server.requests.filter((r) => r.path === "/tokenize");
  assert.match(
    (tokenized[1].body as { prompt: string }).prompt,
    /<\|start\|>functions\.get_weather<\|channel\|>commentary<\|end\|> to=assistant<\|message\|>18 C<\|end\|>/,
  );
  // Special-token text in a message is text to openai-harmony but a special
  // token to /tokenize: the count is then not vLLM's own.
  const quoted = await client.countTokens([
    { role: "user", content: "What does <|end|> mean?" },
  ]);
  assert.equal(quoted.exact, false);
});

Deno.test("countTokens() on vLLM takes its chat path's own count from the render endpoint where it is on", async () => {
  await using server = await startMockServer({
    counting: "vllm",
    vllmRender: true,
    vllmVersion: "0.22.1",
    tokenizer: gptOssTokenizer,
  });
  const client = new GptOssClient({ baseUrl: server.url, server: "vllm" });
  const count = await client.countTokens(
    [{ role: "system", content: "You are terse." }, {
      role: "user",
      content: "Say hello",
    }],
    { reasoningEffort: "high" },
  );
  // 77: what a vLLM of 2026-05-24, rendering as 0.22 does, reported (capture vllm/29).
  assert.deepEqual(count, { promptTokens: 77, source: "vllm", exact: true });
  const render = server.requests.find((r) =>
    r.path === "/v1/chat/completions/render"
  )!;
  // No model configured nor discovered: vLLM takes the one it serves.
  assert.deepEqual(render.body, {
    messages: [{ role: "system", content: "You are terse." }, {
      role: "user",
      content: "Say hello",
    }],
    reasoning_effort: "high",
  });
  assert.ok(!server.requests.some((r) => r.path === "/tokenize"));
});

Deno.test("countTokens() on a vLLM whose version does not tell is exact only where every release renders alike", async () => {
  await using server = await startMockServer({
    counting: "vllm",
    vllmVersion: "0.0.0+g28be48fa9.cpu", // capture vllm/27
    tokenizer: gptOssTokenizer,
  });
  const client = new GptOssClient({
    baseUrl: server.url,
    server: "vllm",
    tokenizer: gptOssTokenizer,
  });
  const plain = await client.countTokens([{ role: "user", content: "Hi" }]);
  assert.equal(plain.exact, true);
  assert.equal(plain.source, "tokenizer");
  // A system message: vLLM 0.22 and 0.23 lay it out differently.
  const instructed = await client.countTokens([
    { role: "system", content: "You are terse." },
    { role: "user", content: "Say hello" },
  ]);
  assert.equal(instructed.exact, false);
  assert.deepEqual(
    server.requests.filter((r) => r.path === "/version").length,
    1,
    "the version is asked once",
  );
});

Deno.test("countTokens() with the exact tokenizer equals vLLM's own prompt_tokens (captures vllm/02, vllm/07), asking only its version", async () => {
  const cases = [
    // vllm/02_chat: prompt_tokens 77 on the captured build (0.22's layout);
    // 80 from 0.23 on, where the system message is developer instructions.
    {
      messages: [{ role: "system", content: "You are terse." }, {
        role: "user",
        content: "Say hello",
      }],
      tools: undefined,
      reported: { "0.22.1": 77, "0.32.0": 80 },
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
      reported: { "0.22.1": 142, "0.32.0": 142 },
    },
  ] as const;
  for (const vllmVersion of ["0.22.1", "0.32.0"] as const) {
    await using server = await startMockServer({
      counting: "vllm",
      vllmVersion,
    });
    const client = new GptOssClient({
      baseUrl: server.url,
      tokenizer: gptOssTokenizer,
      server: "vllm",
    });
    for (const c of cases) {
      const count = await client.countTokens(
        c.messages as unknown as ChatMessage[],
        c.tools ? { tools: c.tools as unknown as ToolDefinition[] } : {},
      );
      assert.deepEqual(count, {
        promptTokens: c.reported[vllmVersion],
        source: "tokenizer",
        exact: true,
      }, vllmVersion);
    }
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ["/version"],
      "counted here, as that release's chat path counts",
    );
  }
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
  // A server discovery could not name: its routes were asked once each, in
  // turn, and no counting endpoint after them.
  assert.deepEqual(server.requests.map((r) => r.path), [
    "/v1/models",
    "/props",
    "/api/ps",
    "/api/v0/models",
  ]);

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

Deno.test("countTokens() takes 404, 405 and 501 as no counting endpoint, and any other failure as a failure", async () => {
  const ask = [{ role: "user" as const, content: "Hi" }];
  for (const kind of ["vllm", "llamacpp"] as const) {
    await using server = await startMockServer();
    const client = new GptOssClient({
      baseUrl: server.url,
      maxRetries: 0,
      server: kind,
    });
    for (const status of [404, 405, 501]) {
      for (
        const path of [
          "/v1/chat/completions/render",
          "/tokenize",
          "/apply-template",
        ]
      ) {
        server.enqueue({ status, json: { error: "no" } }, path);
      }
      const count = await client.countTokens(ask);
      assert.equal(count.source, "estimate", `${kind} ${status}`);
    }
    server.enqueue(
      { status: 500, json: { error: "tokenizer crashed" } },
      kind === "vllm" ? "/v1/chat/completions/render" : "/apply-template",
    );
    await assert.rejects(
      client.countTokens(ask),
      (error: unknown) => error instanceof ApiError && error.status === 500,
    );
  }
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

Deno.test("countTokens() reads a /tokenize answer without a count (llama.cpp's shape) as no count, and counts locally", async () => {
  // A server said to be vLLM whose /tokenize is llama.cpp's: a token list, no `count`.
  await using server = await startMockServer();
  server.enqueue({ json: { tokens: [1, 2] } }, "/tokenize");
  const client = new GptOssClient({ baseUrl: server.url, server: "vllm" });
  const count = await client.countTokens([{ role: "user", content: "Hi" }]);
  assert.equal(count.source, "estimate");
  assert.equal(count.exact, false);
  assert.ok(server.requests.some((r) => r.path === "/tokenize"));
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
