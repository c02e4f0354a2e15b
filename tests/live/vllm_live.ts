/**
 * Live tests against a real vLLM (started by tests/live/run.ts), through the
 * public API only. The model is tiny and random; a logits processor
 * (scripted_harmony.py) makes it say valid harmony: a reasoning part and a
 * final answer, or, when the request has tools, a reasoning part and a call
 * of get_weather. So what comes back is known, as vLLM parses it.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type ChatMessage,
  defineTool,
  GptOssClient,
  runToolLoop,
} from "../../mod.ts";
import { gptOssTokenizer } from "../../tokenizer/mod.ts";
import { assertRefusedOverWindow } from "./_over_window.ts";

const baseUrl = Deno.env.get("GPTOSS_LIVE_URL");
/** The vLLM servers behind `baseUrl` (itself, or the router's workers), for their metrics. */
const workers = (Deno.env.get("GPTOSS_LIVE_WORKERS") ?? baseUrl ?? "").split(
  ",",
);
/** What serves the tests: "vLLM", or "vllm-router + 2 vLLM". */
const label = Deno.env.get("GPTOSS_LIVE_LABEL") ?? "vLLM";
if (!baseUrl) {
  throw new Error("GPTOSS_LIVE_URL is not set: run `deno task test:live`.");
}
const model = "openai/gpt-oss-20b";
const client = new GptOssClient({
  baseUrl,
  model,
  tokenizer: gptOssTokenizer,
  maxTokens: 8,
  maxRetries: 0,
});

const weather = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather in a city.",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string", description: "The city." },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      },
      required: ["city"],
    },
  },
};

/** Requests of every shape the exact count has to match vLLM's own count on. */
const requests: {
  name: string;
  messages: ChatMessage[];
  options: Parameters<GptOssClient["generateResponse"]>[1];
}[] = [
  {
    name: "system and user, effort high (issue 14's request)",
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: "Say hello" },
    ],
    options: { reasoningEffort: "high" },
  },
  {
    name: "developer message, effort low",
    messages: [
      { role: "developer", content: "Answer in French." },
      { role: "user", content: "What is the capital of Italy?" },
    ],
    options: { reasoningEffort: "low" },
  },
  {
    name: "a tool and a history with a call, its result and an answer",
    messages: [
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        reasoning: "I should call the tool.",
        tool_calls: [{
          id: "call_1",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Paris"}' },
        }],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"temp": 21}' },
      { role: "assistant", content: "It is 21 degrees." },
      { role: "user", content: "And in Rome?" },
    ],
    options: { tools: [weather] },
  },
];

Deno.test(`live ${label}: the exact count equals vLLM's own prompt_tokens on every request shape`, async () => {
  for (const { name, messages, options } of requests) {
    const counted = await client.countTokens(messages, options);
    const answer = await client.generateResponse(messages, options);
    assert.equal(counted.exact, true, name);
    assert.equal(
      counted.promptTokens,
      answer.usage?.prompt_tokens,
      `${name}: counted ${counted.promptTokens} (${counted.source}), vLLM ${answer.usage?.prompt_tokens}`,
    );
  }
});

const REASONING = "The user greets me. I answer briefly.";
const ANSWER = "Hello! How can I help?";

Deno.test(`live ${label}: a whole answer and a streamed one, the reasoning apart, with usage and the finish reason`, async () => {
  const messages: ChatMessage[] = [{ role: "user", content: "Say hello" }];
  const whole = await client.generateResponse(messages, { maxTokens: 100 });
  assert.equal(whole.model, model);
  assert.equal(whole.choices[0].message.reasoning, REASONING);
  assert.equal(whole.choices[0].message.content, ANSWER);
  assert.equal(whole.choices[0].finish_reason, "stop");
  assert.ok(whole.usage && whole.usage.completion_tokens > 10);
  const stream = client.streamResponse(messages, { maxTokens: 100 });
  let text = "";
  let reasoning = "";
  for await (const delta of stream) {
    text += delta.content ?? "";
    reasoning += delta.reasoning ?? "";
  }
  const streamed = await stream.completion();
  assert.equal(streamed.incomplete, undefined);
  assert.equal(text, ANSWER);
  assert.equal(reasoning, REASONING);
  assert.equal(streamed.choices[0].message.content, ANSWER);
  assert.equal(streamed.choices[0].message.reasoning, REASONING);
  assert.equal(streamed.choices[0].finish_reason, "stop");
  // Cut short, it says so.
  const cut = await client.generateResponse(messages, { maxTokens: 5 });
  assert.equal(cut.choices[0].finish_reason, "length");
});

Deno.test(`live ${label}: tool calls whole and streamed, and a tool loop to the answer`, async () => {
  const ask: ChatMessage[] = [{ role: "user", content: "Weather in Paris?" }];
  const options = { tools: [weather], maxTokens: 100 };
  const whole = await client.generateResponse(ask, options);
  const [call] = whole.choices[0].message.tool_calls ?? [];
  assert.equal(whole.choices[0].finish_reason, "tool_calls");
  assert.equal(call?.function.name, "get_weather");
  assert.deepEqual(JSON.parse(call.function.arguments), {
    city: "Paris",
    unit: "celsius",
  });
  assert.equal(
    whole.choices[0].message.reasoning,
    "I need the weather, so I call the tool.",
  );
  const stream = client.streamResponse(ask, options);
  let pieces = 0;
  for await (const delta of stream) pieces += delta.toolCalls?.length ?? 0;
  const streamed = await stream.completion();
  assert.ok(pieces > 0);
  assert.deepEqual(
    streamed.choices[0].message.tool_calls?.map((
      c,
    ) => [c.function.name, JSON.parse(c.function.arguments)]),
    [["get_weather", { city: "Paris", unit: "celsius" }]],
  );
  const cities: string[] = [];
  const result = await runToolLoop(client, ask, {
    tools: [defineTool({
      name: "get_weather",
      description: "The weather in a city.",
      parameters: weather.function.parameters,
      execute: (args: { city: string }) => {
        cities.push(args.city);
        return { temperature: 21 };
      },
    })],
    maxTokens: 100,
  });
  assert.deepEqual(cities, ["Paris"]);
  assert.equal(result.finished, true);
  assert.equal(result.rounds, 2);
  assert.equal(result.completion.choices[0].message.content, ANSWER);
});

Deno.test(`live ${label}: discover() finds the model, its window, the server and its version`, async () => {
  const found = await new GptOssClient({ baseUrl, maxRetries: 0 }).discover();
  assert.equal(found.server, "vllm");
  assert.ok(found.models.some((m) => m.id === model));
  assert.equal(found.model, model);
  assert.equal(found.contextLength, 8192);
  assert.equal(found.version, "0.32.0");
});

Deno.test(`live ${label}: a prompt over vLLM's window is a ContextSizeError with vLLM's numbers`, async () => {
  await assertRefusedOverWindow(baseUrl);
});

Deno.test(`live ${label}: aborting mid-stream stops the request on the server`, async () => {
  // Requests running on every vLLM behind the URL.
  const running = async () => {
    let sum = 0;
    for (const worker of workers) {
      const text = await (await fetch(`${worker}/metrics`)).text();
      const line = text.split("\n").find((l) =>
        l.startsWith("vllm:num_requests_running")
      );
      sum += Number(line?.split(" ").at(-1));
    }
    return sum;
  };
  const until = async (want: (n: number) => boolean) => {
    let now = await running();
    for (let i = 0; i < 100 && !want(now); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      now = await running();
    }
    return now;
  };
  // The random model's text is no harmony, so vLLM's parser holds it back
  // until the end: the stream is open (headers and the role chunk came) and
  // the server generating when the caller leaves.
  const controller = new AbortController();
  const stream = client.streamResponse([{ role: "user", content: "Go on" }], {
    maxTokens: 4000,
    signal: controller.signal,
  });
  const reading = (async () => {
    for await (const _ of stream) { /* nothing comes before the end */ }
  })();
  assert.equal(await until((n) => n > 0), 1, "the request never ran");
  controller.abort();
  await assert.rejects(reading, { name: "AbortError" });
  if (workers.length === 1) {
    // vLLM notices the closed connection and frees the request.
    assert.equal(
      await until((n) => n === 0),
      0,
      "vLLM still runs the aborted request",
    );
  } else {
    // Behind vllm-router (0.1.17 from PyPI, round robin) the caller's
    // leaving does not reach vLLM: the request kept running on its worker
    // (vllm:num_requests_running stayed 1 for the 10 s watched).
    // What the client can do it did: the stream ended with AbortError at
    // once, and the router still serves the next request.
    const next = await client.generateResponse([{
      role: "user",
      content: "Say hello",
    }], { maxTokens: 100 });
    assert.equal(next.choices[0].message.content, ANSWER);
  }
});
