/**
 * Live tests of `api: "responses"` against a real vLLM (started by
 * tests/live/run.ts, directly and through vllm-router), through the public
 * API only: whole and streamed answers with the reasoning apart, tool calls
 * and a tool loop sent back stateless, usage with reasoning tokens, the
 * exact count equal to vLLM's own `input_tokens`, a cut answer, a prompt
 * over the window, and discovery's probe.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type ChatMessage,
  defineTool,
  GptOssClient,
  streamToolLoop,
} from "../../mod.ts";
import { gptOssTokenizer } from "../../tokenizer/mod.ts";
import { assertRefusedOverWindow } from "./_over_window.ts";

const baseUrl = Deno.env.get("GPTOSS_LIVE_URL");
const label = Deno.env.get("GPTOSS_LIVE_LABEL") ?? "vLLM";
if (!baseUrl) {
  throw new Error("GPTOSS_LIVE_URL is not set: run `deno task test:live`.");
}
const model = "openai/gpt-oss-20b";
const client = new GptOssClient({
  baseUrl,
  model,
  api: "responses",
  tokenizer: gptOssTokenizer,
  maxTokens: 100,
  maxRetries: 0,
});
const REASONING = "The user greets me. I answer briefly.";
const ANSWER = "Hello! How can I help?";
const hello: ChatMessage[] = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Say hello" },
];
const cities: string[] = [];
const getWeather = defineTool({
  name: "get_weather",
  description: "The weather in a city.",
  parameters: {
    type: "object",
    properties: {
      city: { type: "string" },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    },
    required: ["city"],
  },
  execute: (args: { city: string }) => {
    cities.push(args.city);
    return { temperature: 21 };
  },
});

Deno.test(`live ${label} /v1/responses: whole and streamed, the reasoning apart, usage with reasoning tokens, the count exact`, async () => {
  const whole = await client.generateResponse(hello, {
    reasoningEffort: "high",
  });
  assert.equal(whole.choices[0].message.reasoning, REASONING);
  assert.equal(whole.choices[0].message.content, ANSWER);
  assert.equal(whole.choices[0].finish_reason, "stop");
  assert.equal(whole.response?.object, "response");
  assert.ok(
    (whole.usage?.completion_tokens_details?.reasoning_tokens ?? 0) > 0,
  );
  const counted = await client.countTokens(hello, { reasoningEffort: "high" });
  assert.equal(counted.exact, true);
  assert.equal(counted.promptTokens, whole.usage?.prompt_tokens);
  const stream = client.streamResponse(hello);
  let reasoning = "";
  let content = "";
  for await (const delta of stream) {
    reasoning += delta.reasoning ?? "";
    content += delta.content ?? "";
  }
  const streamed = await stream.completion();
  assert.equal(reasoning, REASONING);
  assert.equal(content, ANSWER);
  assert.equal(streamed.incomplete, undefined);
  assert.equal(streamed.choices[0].finish_reason, "stop");
  assert.equal(streamed.usage?.prompt_tokens, whole.usage?.prompt_tokens);
  // Cut short: vLLM says response.completed, its status says incomplete.
  const cut = client.streamResponse(hello, { maxTokens: 5 });
  for await (const _ of cut) { /* drain */ }
  assert.equal((await cut.completion()).choices[0].finish_reason, "length");
});

Deno.test(`live ${label} /v1/responses: a tool call, then the loop sends the call, its reasoning and its result back stateless, streamed`, async () => {
  const ask: ChatMessage[] = [{ role: "user", content: "Weather in Paris?" }];
  const whole = await client.generateResponse(ask, { tools: [getWeather] });
  assert.equal(whole.choices[0].finish_reason, "tool_calls");
  const [call] = whole.choices[0].message.tool_calls!;
  assert.match(call.id, /^call_/);
  assert.deepEqual(JSON.parse(call.function.arguments), {
    city: "Paris",
    unit: "celsius",
  });
  cities.length = 0;
  let done;
  for await (
    const event of streamToolLoop(client, ask, { tools: [getWeather] })
  ) {
    if (event.type === "done") done = event.result;
  }
  assert.deepEqual(cities, ["Paris"]);
  assert.equal(done?.rounds, 2);
  assert.equal(done?.completion.choices[0].message.content, ANSWER);
});

Deno.test(`live ${label} /v1/responses: a prompt over the window is a ContextSizeError with vLLM's numbers; discover() says it serves the Responses API`, async () => {
  await assertRefusedOverWindow(baseUrl, "responses");
  const found = await new GptOssClient({ baseUrl, maxRetries: 0 }).discover();
  assert.equal(found.responsesApi, true);
});
