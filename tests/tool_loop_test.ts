import assert from "node:assert/strict";
import {
  type ChatMessage,
  defineTool,
  GptOssClient,
  runToolLoop,
  streamToolLoop,
  ToolCallError,
  type ToolLoopEvent,
  type ToolResult,
} from "../mod.ts";
import {
  chatCompletionBody,
  chatCompletionStream,
  startMockServer,
} from "../testing/mod.ts";

const question: ChatMessage[] = [{
  role: "user",
  content: "Weather in Oslo and Bergen?",
}];
const calls = [
  { id: "c1", name: "get_weather", arguments: '{"city":"Oslo"}' },
  { id: "c2", name: "get_weather", arguments: '{"city":"Bergen"}' },
];

Deno.test("runToolLoop() runs the requested functions in order and sends the results back", async () => {
  await using server = await startMockServer();
  server.enqueue({
    json: chatCompletionBody({
      reasoning: "Two cities: two calls.",
      toolCalls: calls,
    }),
  });
  server.enqueue({
    json: chatCompletionBody({ content: "Oslo 18 C, Bergen 12 C." }),
  });
  const order: string[] = [];
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    server: "vllm",
  });
  const result = await runToolLoop(client, question, {
    tools: [defineTool({
      name: "get_weather",
      description: "Current weather in a city",
      parameters: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      },
      execute: async ({ city }) => {
        order.push(city);
        await new Promise((r) => setTimeout(r, city === "Oslo" ? 20 : 0));
        return { city, celsius: city === "Oslo" ? 18 : 12 };
      },
    })],
    temperature: 0,
  });
  assert.equal(result.finished, true);
  assert.equal(result.rounds, 2);
  assert.deepEqual(order, ["Oslo", "Bergen"]);
  assert.equal(
    result.completion.choices[0].message.content,
    "Oslo 18 C, Bergen 12 C.",
  );
  assert.deepEqual(result.toolResults.map((r) => r.content), [
    '{"city":"Oslo","celsius":18}',
    '{"city":"Bergen","celsius":12}',
  ]);
  // The second request carries the call, with its reasoning (an exchange in progress), and both results.
  const second = server.requests[1].body as {
    messages: ChatMessage[];
    tools: unknown[];
    temperature: number;
  };
  assert.equal(second.temperature, 0);
  assert.equal(second.tools.length, 1);
  assert.deepEqual(second.messages.map((m) => m.role), [
    "user",
    "assistant",
    "tool",
    "tool",
  ]);
  assert.equal(second.messages[1].reasoning, "Two cities: two calls.");
  assert.deepEqual(second.messages.slice(2), [
    {
      role: "tool",
      tool_call_id: "c1",
      name: "get_weather",
      content: '{"city":"Oslo","celsius":18}',
    },
    {
      role: "tool",
      tool_call_id: "c2",
      name: "get_weather",
      content: '{"city":"Bergen","celsius":12}',
    },
  ]);
  assert.deepEqual(result.messages.map((m) => m.role), [
    "user",
    "assistant",
    "tool",
    "tool",
    "assistant",
  ]);
  assert.equal(question.length, 1, "the caller's messages are not changed");
});

Deno.test("runToolLoop() sends failures back to the model, or throws with throwOnToolError", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const bad = [
    { id: "a", name: "get_weather", arguments: '{"city":' },
    { id: "b", name: "launch_rocket", arguments: "{}" },
    { id: "c", name: "get_weather", arguments: '{"city":"Nowhere"}' },
  ];
  server.enqueue({ json: chatCompletionBody({ toolCalls: bad }) });
  server.enqueue({ json: chatCompletionBody({ content: "Sorry." }) });
  const tools = [defineTool({
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
    execute: ({ city }) => {
      if (city === "Nowhere") throw new Error("unknown city");
      return "sunny";
    },
  })];
  const result = await runToolLoop(client, question, { tools });
  assert.equal(result.finished, true);
  assert.match(
    result.toolResults[0].error!,
    /"get_weather" with arguments that are not a JSON object/,
  );
  assert.match(
    result.toolResults[1].error!,
    /"launch_rocket", which is not one of the tools the request declared \(get_weather\)/,
  );
  // The model reads which tools it has.
  assert.equal(
    result.toolResults[1].content,
    '{"error":"There is no tool named \\"launch_rocket\\". The tools are: get_weather."}',
  );
  assert.equal(result.toolResults[2].content, '{"error":"unknown city"}');
  server.enqueue({ json: chatCompletionBody({ toolCalls: bad }) });
  await assert.rejects(
    runToolLoop(client, question, { tools, throwOnToolError: true }),
    ToolCallError,
  );
});

Deno.test("runToolLoop() stops at the round limit and says it did not finish", async () => {
  await using server = await startMockServer();
  for (let i = 0; i < 3; i++) {
    server.enqueue({
      json: chatCompletionBody({
        toolCalls: [{ id: `c${i}`, name: "again", arguments: "{}" }],
      }),
    });
  }
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const result = await runToolLoop(client, question, {
    tools: [defineTool({ name: "again", execute: () => "more" })],
    maxRounds: 2,
  });
  assert.equal(result.finished, false);
  assert.equal(result.rounds, 2);
  assert.equal(server.requests.length, 2);
  await assert.rejects(
    runToolLoop(client, question, { tools: [], maxRounds: 0 }),
    /maxRounds/,
  );
});

Deno.test("streamToolLoop() yields deltas, tool results and the result, round by round", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream({
      reasoning: "Need data.",
      toolCalls: [calls[0]],
    }),
    writes: "event",
  });
  server.enqueue({
    sse: chatCompletionStream({ content: "Oslo is 18 C." }),
    writes: "event",
  });
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const events: ToolLoopEvent[] = [];
  for await (
    const event of streamToolLoop(client, question, {
      tools: [
        defineTool({ name: "get_weather", execute: () => ({ celsius: 18 }) }),
      ],
    })
  ) {
    events.push(event);
  }
  const kinds = events.map((e) => `${e.type}:${"round" in e ? e.round : "-"}`);
  assert.ok(kinds.indexOf("tool-result:1") > kinds.lastIndexOf("delta:1"));
  assert.ok(kinds.indexOf("delta:2") > kinds.indexOf("tool-result:1"));
  assert.equal(kinds.at(-1), "done:-");
  const done = events.at(-1) as Extract<ToolLoopEvent, { type: "done" }>;
  assert.equal(done.result.finished, true);
  assert.equal(
    done.result.completion.choices[0].message.content,
    "Oslo is 18 C.",
  );
  const text = events.flatMap((e) =>
    e.type === "delta" && e.delta.content ? [e.delta.content] : []
  ).join("");
  assert.equal(text, "Oslo is 18 C.");
});

Deno.test("runToolLoop() and streamToolLoop() read a call's name as the model meant it, and answer an undeclared one with the declared tools", async () => {
  for (const loop of ["run", "stream"] as const) {
    await using server = await startMockServer();
    const client = new GptOssClient({ baseUrl: server.url, model: "m" });
    // Names as servers have let them through: the harmony namespace, a
    // special token glued on, and a tool that was never declared.
    const calls = [
      { id: "a", name: "functions.get_weather", arguments: '{"city":"Oslo"}' },
      {
        id: "b",
        name: "get_weather<|channel|>commentary",
        arguments: '{"city":"Rome"}',
      },
      { id: "c", name: "functions.get_time", arguments: "{}" },
    ];
    const reply = loop === "run"
      ? { json: chatCompletionBody({ toolCalls: calls }) }
      : {
        sse: chatCompletionStream({ toolCalls: calls }),
        writes: "event" as const,
      };
    server.enqueue(reply);
    server.enqueue(
      loop === "run"
        ? { json: chatCompletionBody({ content: "Done." }) }
        : { sse: chatCompletionStream({ content: "Done." }) },
    );
    const seen: string[] = [];
    const tools = [
      defineTool({
        name: "get_weather",
        parameters: {
          type: "object",
          properties: { city: { type: "string" } },
        },
        execute: ({ city }) => {
          seen.push(city as string);
          return "sunny";
        },
      }),
      defineTool({ name: "get_date", execute: () => "today" }),
    ];
    let results: ToolResult[];
    if (loop === "run") {
      results = (await runToolLoop(client, question, { tools })).toolResults;
    } else {
      results = [];
      for await (const event of streamToolLoop(client, question, { tools })) {
        if (event.type === "done") results = event.result.toolResults;
      }
    }
    assert.deepEqual(seen, ["Oslo", "Rome"], loop);
    assert.deepEqual(results.map((r) => r.call.name), [
      "get_weather",
      "get_weather",
      "functions.get_time",
    ]);
    assert.equal(
      results[2].content,
      '{"error":"There is no tool named \\"functions.get_time\\". The tools are: get_weather, get_date."}',
    );
    // The result goes back under the name the tool has.
    const sent = server.requests.at(-1)!.body as {
      messages: Record<string, unknown>[];
    };
    const results_sent = sent.messages.filter((m) => m.role === "tool");
    assert.deepEqual(results_sent.map((m) => m.tool_call_id), ["a", "b", "c"]);
  }
});
