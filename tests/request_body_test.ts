import assert from "node:assert/strict";
import {
  ConfigError,
  GptOssClient,
  type ServerKind,
  type ToolDefinition,
} from "../mod.ts";
import { startMockServer } from "../testing/mod.ts";

const ask = [{ role: "user" as const, content: "hi" }];
const weather: ToolDefinition = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather",
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    },
  },
};

Deno.test("reasoningEffort is sent the way each server reads it", async () => {
  await using server = await startMockServer();
  const expected: Record<string, Record<string, unknown>> = {
    vllm: { reasoning_effort: "high" },
    ollama: { reasoning_effort: "high" },
    lmstudio: { reasoning_effort: "high" },
    // llama.cpp from b10434 reads the top-level field, older builds only the template kwargs.
    llamacpp: {
      reasoning_effort: "high",
      chat_template_kwargs: { reasoning_effort: "high" },
    },
    unknown: {
      reasoning_effort: "high",
      chat_template_kwargs: { reasoning_effort: "high" },
    },
  };
  for (const [kind, fields] of Object.entries(expected)) {
    const client = new GptOssClient({
      baseUrl: server.url,
      model: "m",
      reasoningEffort: "high",
      ...(kind === "unknown" ? {} : { server: kind as ServerKind }),
    });
    await client.generateResponse(ask);
    const body = server.requests.at(-1)!.body as Record<string, unknown>;
    assert.deepEqual(
      {
        reasoning_effort: body.reasoning_effort,
        ...(body.chat_template_kwargs
          ? { chat_template_kwargs: body.chat_template_kwargs }
          : {}),
      },
      fields,
      kind,
    );
  }
});

Deno.test("reasoningEffort per call overrides the config, and bad values are a ConfigError", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    server: "vllm",
    reasoningEffort: "low",
  });
  await client.generateResponse(ask, { reasoningEffort: "medium" });
  assert.equal(
    (server.requests[0].body as Record<string, unknown>).reasoning_effort,
    "medium",
  );
  await client.generateResponse(ask);
  assert.equal(
    (server.requests[1].body as Record<string, unknown>).reasoning_effort,
    "low",
  );
  assert.throws(
    () => new GptOssClient({ reasoningEffort: "max" as "low" }),
    (e: unknown) => e instanceof ConfigError && e.field === "reasoningEffort",
  );
  await assert.rejects(
    client.generateResponse(ask, { reasoningEffort: "extreme" as "low" }),
    ConfigError,
  );
  assert.throws(
    () => new GptOssClient({ server: "tgi" as ServerKind }),
    /"vllm", "ollama", "llamacpp", "lmstudio"/,
  );
  assert.equal(server.requests.length, 2);
});

Deno.test("tools, toolChoice and responseFormat are sent through; extraBody merges into objects", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    reasoningEffort: "low",
  });
  await client.generateResponse(ask, {
    tools: [weather],
    toolChoice: { type: "function", function: { name: "get_weather" } },
    responseFormat: {
      type: "json_schema",
      json_schema: { name: "w", schema: { type: "object" } },
    },
    extraBody: {
      chat_template_kwargs: { builtin_tools: [] },
      parallel_tool_calls: false,
    },
  });
  const body = server.requests[0].body as Record<string, unknown>;
  assert.deepEqual(body.tools, [weather]);
  assert.deepEqual(body.tool_choice, {
    type: "function",
    function: { name: "get_weather" },
  });
  assert.deepEqual(body.response_format, {
    type: "json_schema",
    json_schema: { name: "w", schema: { type: "object" } },
  });
  assert.deepEqual(body.chat_template_kwargs, {
    reasoning_effort: "low",
    builtin_tools: [],
  });
  assert.equal(body.parallel_tool_calls, false);
});

Deno.test("malformed tools, tool choices and response formats are ConfigErrors before any request", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ tools: {} }, /options\.tools/],
    [
      { tools: [{ type: "function", function: { name: "has space" } }] },
      /function\.name/,
    ],
    [{ tools: [weather, weather] }, /a name no other tool has/],
    [{
      tools: [weather],
      toolChoice: { type: "function", function: { name: "nope" } },
    }, /one of the tools \(get_weather\)/],
    [{ toolChoice: "always" }, /"auto", "none", "required"/],
    [
      { responseFormat: { type: "json_schema", json_schema: { schema: {} } } },
      /\{ name: string, schema: object \}/,
    ],
    [{ responseFormat: { type: "yaml" } }, /json_object/],
  ];
  for (const [options, message] of cases) {
    await assert.rejects(
      client.generateResponse(ask, options),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      JSON.stringify(options),
    );
  }
  assert.equal(server.requests.length, 0);
});
