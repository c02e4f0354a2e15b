import assert from "node:assert/strict";
import {
  ConfigError,
  GptOssClient,
  InvalidResponseError,
  parseToolCalls,
  ToolCallError,
} from "../mod.ts";
import { chatCompletionBody, startMockServer } from "../testing/mod.ts";
import { loadFixture, replayStream } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "list the files" }];

Deno.test("a tool call sent whole in one chunk (Ollama) is assembled and parsed", async () => {
  for (let seed = 1; seed <= 5; seed++) {
    const { completion } = await replayStream(
      "ollama_tool_call_whole.json",
      seed,
      ask,
    );
    assert.equal(completion!.choices[0].finish_reason, "tool_calls");
    assert.deepEqual(parseToolCalls(completion!), [
      {
        id: "call_hk81qg8b",
        name: "run_command",
        arguments: { command: "ls -la" },
        raw: '{"command":"ls -la"}',
      },
    ]);
  }
});

Deno.test("a tool call sent in fragments is assembled by index; cut-off arguments name the tool", async () => {
  for (let seed = 1; seed <= 5; seed++) {
    const { failure: error } = await replayStream(
      "tool_call_fragments_stream.json",
      seed,
      ask,
    );
    // The capture stops mid-call: what arrived is kept, and its arguments do not parse.
    assert.ok(error instanceof InvalidResponseError);
    const partial = error.partial!;
    assert.deepEqual(partial.choices[0].message.tool_calls, [
      {
        id: "call_aqwOReHDKPnqiF7NbRxzDTY1",
        type: "function",
        function: { name: "python", arguments: '{"code' },
      },
    ]);
    assert.throws(() => parseToolCalls(partial), (e: unknown) => {
      assert.ok(e instanceof ToolCallError);
      assert.equal(e.toolName, "python");
      assert.equal(e.arguments, '{"code');
      assert.match(
        e.message,
        /The model called "python" with arguments that are not a JSON object/,
      );
      return true;
    });
  }
});

Deno.test("parseToolCalls() reads empty arguments as {} and rejects JSON that is not an object", async () => {
  await using server = await startMockServer();
  server.enqueue({
    json: chatCompletionBody({
      toolCalls: [{ id: "a", name: "now", arguments: "" }, {
        id: "b",
        name: "list",
        arguments: "[1,2]",
      }],
    }),
  });
  const completion = await new GptOssClient({ baseUrl: server.url, model: "m" })
    .generateResponse(ask);
  assert.throws(
    () => parseToolCalls(completion),
    /"list" with arguments that are not a JSON object \(it is JSON but not an object\)/,
  );
  const [now] = parseToolCalls({
    role: "assistant",
    content: null,
    tool_calls: [completion.choices[0].message.tool_calls![0]],
  });
  assert.deepEqual(now, { id: "a", name: "now", arguments: {}, raw: "" });
  assert.deepEqual(parseToolCalls({ role: "assistant", content: "plain" }), []);
});

Deno.test("llama-server with gpt-oss: a tool call in fragments after reasoning, streamed and whole", async () => {
  const weather = {
    name: "weather",
    arguments: { location: "Florence, Italy" },
    raw: '{"location":"Florence, Italy"}',
  };
  for (let seed = 1; seed <= 5; seed++) {
    const { completion } = await replayStream(
      "llamacpp_gptoss_tool_stream.json",
      seed,
      ask,
    );
    const { message, finish_reason } = completion!.choices[0];
    assert.equal(finish_reason, "tool_calls");
    assert.equal(message.reasoning, "We need to call the weather function.");
    assert.equal(message.content, null);
    assert.deepEqual(parseToolCalls(completion!), [
      { id: "Q2J4SAYY3S9Bwuymis3vFUCFquG4g5Za", ...weather },
    ]);
    assert.equal(completion!.usage?.total_tokens, 173);
    assert.equal(completion!.timings?.predicted_n, 34);
  }
  await using server = await startMockServer();
  server.enqueue(await loadFixture("llamacpp_gptoss_tool_completion.json"));
  const whole = await new GptOssClient({ baseUrl: server.url, model: "m" })
    .generateResponse(ask);
  assert.equal(whole.choices[0].finish_reason, "tool_calls");
  assert.equal(whole.choices[0].message.content, null);
  assert.match(whole.choices[0].message.reasoning!, /^User asks: "What's the/);
  assert.deepEqual(parseToolCalls(whole), [
    { id: "u36jVf07R9qUqfK2POEsHz6i6DUtUlrb", ...weather },
  ]);
});

Deno.test("vLLM's tool call in fragments: a name without arguments first, an empty piece with the finish reason, usage on every chunk", async () => {
  for (let seed = 1; seed <= 5; seed++) {
    const { deltas, completion } = await replayStream(
      "vllm_tool_call_fragments_stream.json",
      seed,
      ask,
    );
    assert.deepEqual(parseToolCalls(completion!), [{
      id: "chatcmpl-tool-b3b307239370432d9910d4b79b4dbbaa",
      name: "searchGoogle",
      arguments: { query: "latest news on ai" },
      raw: '{"query": "latest news on ai"}',
    }]);
    assert.equal(completion!.choices[0].finish_reason, "tool_calls");
    assert.equal(completion!.choices[0].message.content, null);
    assert.deepEqual(completion!.usage, {
      prompt_tokens: 226,
      completion_tokens: 20,
      total_tokens: 246,
    });
    const pieces = deltas.flatMap((d) => d.toolCalls ?? []);
    assert.equal(pieces[0].function?.name, "searchGoogle");
    assert.equal(
      pieces.filter((p) => p.function?.name !== undefined).length,
      1,
      "the name arrives once, not once per piece",
    );
  }
});

Deno.test("parseToolCalls() with the request's tools reads names as meant and reports an undeclared one as a ToolCallError", () => {
  const tools = [
    { type: "function" as const, function: { name: "get_weather" } },
    { type: "function" as const, function: { name: "functions.raw" } },
  ];
  const message = (...names: string[]) => ({
    role: "assistant" as const,
    content: null,
    tool_calls: names.map((name, i) => ({
      id: `c${i}`,
      type: "function" as const,
      function: { name, arguments: "{}" },
    })),
  });
  assert.deepEqual(
    parseToolCalls(
      message(
        "get_weather",
        "functions.get_weather",
        " get_weather<|constrain|>json",
        "functions.functions.get_weather<|call|>",
        "functions.raw", // a declared name is taken as it is
      ),
      tools,
    ).map((c) => c.name),
    [
      "get_weather",
      "get_weather",
      "get_weather",
      "get_weather",
      "functions.raw",
    ],
  );
  assert.throws(
    () => parseToolCalls(message("get_weather", "get_time"), tools),
    (error: unknown) =>
      error instanceof ToolCallError && error.toolName === "get_time" &&
      error.declaredTools?.join() === "get_weather,functions.raw" &&
      /not one of the tools the request declared \(get_weather, functions\.raw\)/
        .test(error.message),
  );
  // Without tools, names are not checked.
  assert.equal(parseToolCalls(message("anything"))[0].name, "anything");
  assert.throws(
    () => parseToolCalls(message("x"), "tools" as never),
    (error: unknown) => error instanceof ConfigError && error.field === "tools",
  );
});
