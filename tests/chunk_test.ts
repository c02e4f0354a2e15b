import assert from "node:assert/strict";
import { CompletionAccumulator } from "../src/stream/accumulator.ts";
import { deltaFromChunk } from "../src/api/chat/chunk.ts";

Deno.test("deltaFromChunk() reads content, reasoning, tool calls, finish reason and usage at once", () => {
  const delta = deltaFromChunk({
    choices: [{
      index: 0,
      delta: {
        content: "A",
        reasoning: "B",
        tool_calls: [{
          index: 1,
          id: "c",
          type: "function",
          function: { name: "f", arguments: "{" },
        }],
      },
      finish_reason: "tool_calls",
    }],
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
  });
  assert.deepEqual(delta, {
    content: "A",
    reasoning: "B",
    toolCalls: [{
      index: 1,
      id: "c",
      type: "function",
      function: { name: "f", arguments: "{" },
    }],
    finishReason: "tool_calls",
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
  });
});

Deno.test("deltaFromChunk() treats empty strings and nulls as absent", () => {
  assert.deepEqual(
    deltaFromChunk({
      choices: [{
        delta: {
          role: "assistant",
          content: "",
          reasoning: null,
          tool_calls: null,
        },
        finish_reason: "",
      }],
    }),
    {},
  );
  assert.deepEqual(
    deltaFromChunk({
      choices: [],
      usage: { prompt_tokens: 1, completion_tokens: 2 },
    }),
    {
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    },
  );
  assert.equal(deltaFromChunk({ object: "something else" }), undefined);
});

Deno.test("CompletionAccumulator joins tool-call pieces by index, whatever order they come in", () => {
  const acc = new CompletionAccumulator();
  acc.add({
    toolCalls: [{
      index: 0,
      id: "a",
      type: "function",
      function: { name: "first", arguments: "" },
    }],
  });
  acc.add({
    toolCalls: [{
      index: 1,
      id: "b",
      type: "function",
      function: { name: "second", arguments: '{"y"' },
    }],
  });
  acc.add({ toolCalls: [{ index: 0, function: { arguments: '{"x":' } }] });
  acc.add({
    toolCalls: [{ index: 0, function: { arguments: "1}" } }, {
      index: 1,
      function: { arguments: ":2}" },
    }],
  });
  acc.add({ finishReason: "tool_calls" });
  const { message, finish_reason } = acc.result().choices[0];
  assert.equal(finish_reason, "tool_calls");
  assert.equal(message.content, null);
  assert.deepEqual(message.tool_calls, [
    {
      id: "a",
      type: "function",
      function: { name: "first", arguments: '{"x":1}' },
    },
    {
      id: "b",
      type: "function",
      function: { name: "second", arguments: '{"y":2}' },
    },
  ]);
});

Deno.test("CompletionAccumulator keeps arguments that a server sent as an object", () => {
  const delta = deltaFromChunk({
    choices: [{
      delta: {
        tool_calls: [{ id: "x", function: { name: "f", arguments: { a: 1 } } }],
      },
    }],
  })!;
  const acc = new CompletionAccumulator();
  acc.add(delta);
  assert.deepEqual(acc.result().choices[0].message.tool_calls, [
    {
      id: "x",
      type: "function",
      function: { name: "f", arguments: '{"a":1}' },
    },
  ]);
});
