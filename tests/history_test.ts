import assert from "node:assert/strict";
import { type ChatMessage, GptOssClient } from "../mod.ts";
import { prepareHistory as keptReasoning } from "../src/context/history.ts";
import { withReasoningFields } from "../src/wire/messages.ts";
import { type ServerKind, traitsOf } from "../src/wire/servers.ts";

/** The history rules, then the fields a server reads the kept reasoning from. */
function prepareHistory(
  messages: ChatMessage[],
  options: { keepReasoning?: boolean; server?: ServerKind } = {},
): ChatMessage[] {
  return withReasoningFields(
    keptReasoning(messages, options.keepReasoning),
    traitsOf(options.server).reasoningFields,
  );
}
import { startMockServer } from "../testing/mod.ts";

const history: ChatMessage[] = [
  { role: "user", content: "What is the weather in Oslo?" },
  {
    role: "assistant",
    content: null,
    reasoning: "Need the weather tool.",
    tool_calls: [{
      id: "c1",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
    }],
  },
  { role: "tool", tool_call_id: "c1", content: "18 C" },
  {
    role: "assistant",
    content: "It is 18 C in Oslo.",
    reasoning: "Report it.",
  },
  { role: "user", content: "And in Bergen?" },
  {
    role: "assistant",
    content: null,
    reasoning: "Call the tool again for Bergen.",
    tool_calls: [{
      id: "c2",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Bergen"}' },
    }],
  },
  { role: "tool", tool_call_id: "c2", content: "12 C" },
];

Deno.test("prepareHistory() drops earlier turns' reasoning and keeps the exchange in progress", () => {
  const sent = prepareHistory(history);
  const reasoning = sent.map((m) =>
    (m as unknown as Record<string, unknown>).reasoning ?? null
  );
  assert.deepEqual(reasoning, [
    null,
    null,
    null,
    null,
    null,
    "Call the tool again for Bergen.",
    null,
  ]);
  // llama.cpp (and vLLM before the rename) read reasoning_content: both are sent when the server is not known.
  assert.equal(
    (sent[5] as unknown as Record<string, unknown>).reasoning_content,
    "Call the tool again for Bergen.",
  );
  assert.equal(
    (prepareHistory(history, { server: "ollama" })[5] as unknown as Record<
      string,
      unknown
    >).reasoning_content,
    undefined,
  );
  // Messages without reasoning are the caller's own objects; the caller's messages are not changed.
  assert.equal(sent[0], history[0]);
  assert.equal(history[1].reasoning, "Need the weather tool.");
});

Deno.test("prepareHistory() keeps every turn's reasoning on request, from any field name", () => {
  const sent = prepareHistory(history, { keepReasoning: true, server: "vllm" });
  assert.deepEqual(sent.map((m) => m.reasoning ?? null), [
    null,
    "Need the weather tool.",
    null,
    "Report it.",
    null,
    "Call the tool again for Bergen.",
    null,
  ]);
  const other = prepareHistory([
    { role: "user", content: "q" },
    {
      role: "assistant",
      content: "a",
      reasoning_content: "old thought",
    } as unknown as ChatMessage,
    { role: "user", content: "q2" },
  ]);
  assert.deepEqual(other[1], { role: "assistant", content: "a" });
});

Deno.test("the client sends the prepared history, and keepReasoning per call", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    server: "vllm",
  });
  await client.generateResponse(history);
  await client.generateResponse(history, { keepReasoning: true });
  const [dropped, kept] = server.requests.map((r) =>
    (r.body as { messages: ChatMessage[] }).messages
  );
  assert.deepEqual(dropped.map((m) => m.reasoning ?? null), [
    null,
    null,
    null,
    null,
    null,
    "Call the tool again for Bergen.",
    null,
  ]);
  assert.equal(kept[3].reasoning, "Report it.");
});

Deno.test("prepareHistory() sends the same copy of an unchanged message every turn, and a new one when it changed in place", () => {
  const call: ChatMessage = {
    role: "assistant",
    content: null,
    reasoning: "Look it up.",
    tool_calls: [{
      id: "c1",
      type: "function",
      function: { name: "f", arguments: "{}" },
    }],
  };
  const turn = [{ role: "user" as const, content: "Go" }, call];
  const first = keptReasoning(turn)[1];
  assert.equal(keptReasoning(turn)[1], first);
  assert.notEqual(first, call);
  assert.equal(first.reasoning, "Look it up.");
  // A later user message: the reasoning is no longer sent, the copy differs.
  const later = keptReasoning([...turn, { role: "user", content: "More" }])[1];
  assert.equal(later.reasoning, undefined);
  assert.equal(keptReasoning(turn)[1], first);
  // Changed in place: the copy follows.
  call.tool_calls = [{
    id: "c2",
    type: "function",
    function: { name: "g", arguments: "{}" },
  }];
  assert.equal(keptReasoning(turn)[1].tool_calls?.[0].id, "c2");
  call.reasoning = "Think again.";
  assert.equal(keptReasoning(turn)[1].reasoning, "Think again.");
  (call as unknown as Record<string, unknown>).name = "agent";
  assert.equal(
    (keptReasoning(turn)[1] as unknown as Record<string, unknown>).name,
    "agent",
  );
});
