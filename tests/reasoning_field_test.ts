import assert from "node:assert/strict";
import {
  GptOssClient,
  InvalidResponseError,
  type StreamDelta,
} from "../mod.ts";
import { startMockServer } from "../testing/mod.ts";
import { loadFixture, replayStream } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "hi" }];

Deno.test("reasoning is read from each server's field in a stream, however the bytes are split", async () => {
  for (let seed = 1; seed <= 5; seed++) {
    // vLLM before the rename: reasoning_content (the capture stops mid-stream).
    const vllmOld = await replayStream(
      "vllm_reasoning_content_stream.json",
      seed,
    );
    assert.ok(vllmOld.failure instanceof InvalidResponseError);
    assert.equal(
      vllmOld.failure.partial?.choices[0].message.reasoning,
      " need to use the tool",
    );
    // vLLM after the rename: reasoning.
    const vllmNew = await replayStream("vllm_reasoning_field_event.json", seed);
    assert.equal(
      (vllmNew.failure as InvalidResponseError).partial?.choices[0].message
        .reasoning,
      " repetitive",
    );
    // Ollama /v1: reasoning, with content "" beside it.
    const ollama = await replayStream("ollama_v1_stream.json", seed);
    assert.equal(ollama.failure, undefined);
    assert.deepEqual(ollama.deltas, [{ reasoning: "User" }, {
      reasoning: " asks",
    }, { content: "1" }]);
    assert.equal(ollama.completion!.choices[0].message.reasoning, "User asks");
    assert.equal(ollama.completion!.choices[0].message.content, "1");
    // LM Studio 0.3.9: reasoning_content, role repeated on every delta (the
    // capture stops mid-stream).
    const lmStudio = await replayStream(
      "lmstudio_reasoning_content_stream.json",
      seed,
    );
    assert.ok(lmStudio.failure instanceof InvalidResponseError);
    assert.deepEqual(lmStudio.deltas, [{ reasoning: "le" }, {
      reasoning: "?",
    }, { reasoning: " An" }]);
    assert.deepEqual(lmStudio.failure.partial?.choices[0].message, {
      role: "assistant",
      content: "",
      reasoning: "le? An",
    });
    // llama.cpp: reasoning_content, with timings on every chunk.
    const llama = await replayStream("llamacpp_stream_timings.json", seed);
    const partial = (llama.failure as InvalidResponseError).partial!;
    assert.equal(partial.choices[0].message.reasoning, " it handles");
    assert.equal(partial.timings?.predicted_n, 29);
  }
});

Deno.test("reasoning is read from each server's field in a whole answer", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  server.enqueue(await loadFixture("ollama_v1_completion.json"));
  const ollama = await client.generateResponse(ask);
  assert.deepEqual(ollama.choices[0].message, {
    role: "assistant",
    content: "Hello",
    reasoning: 'The user asks: "Say hello in one word."...',
  });
  server.enqueue(await loadFixture("lmstudio_completion.json"));
  const lmStudio = await client.generateResponse(ask);
  assert.equal(
    lmStudio.choices[0].message.reasoning,
    "Need <=3 sentences short story about a cat. Provide 1-3 sentences.",
  );
  assert.match(lmStudio.choices[0].message.content!, /^Midnight, the alley/);
  assert.equal(
    lmStudio.choices[0].message.tool_calls,
    undefined,
    "an empty tool_calls array is not a tool call",
  );
  assert.equal(lmStudio.usage?.completion_tokens, 111);
});

Deno.test("vLLM's whole answer with the same text in reasoning and reasoning_content keeps it once", async () => {
  await using server = await startMockServer();
  server.enqueue(await loadFixture("vllm_completion_both_fields.json"));
  const completion = await new GptOssClient({ baseUrl: server.url, model: "m" })
    .generateResponse(ask);
  const { message, finish_reason } = completion.choices[0];
  assert.equal(
    message.content,
    "你好！我是 **Step**，由 **阶跃星辰（StepFun）** 开发的多\n",
  );
  assert.match(message.reasoning!, /^好的，用户让我简单介绍一下自己。/);
  assert.match(message.reasoning!, /同时要强调中文$/);
  assert.equal(
    message.reasoning!.split("好的，用户让我").length,
    2,
    "the reasoning is not doubled",
  );
  assert.equal(message.tool_calls, undefined);
  assert.equal(finish_reason, "stop");
  assert.equal(completion.usage?.total_tokens, 131);
});

Deno.test("a usage-only chunk with choices: [] is read as usage", async () => {
  const fixture = await loadFixture("ollama_v1_usage_chunk.json");
  await using server = await startMockServer();
  server.enqueue(fixture);
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask);
  const deltas: StreamDelta[] = [];
  for await (const delta of stream) deltas.push(delta);
  assert.deepEqual(deltas, [{
    usage: { prompt_tokens: 68, completion_tokens: 5, total_tokens: 73 },
  }]);
  const completion = await stream.completion();
  assert.equal(completion.usage?.total_tokens, 73);
  assert.equal(completion.stats?.completionTokens, 5);
  assert.equal(completion.stats?.estimated, false);
});

Deno.test("llama-server with gpt-oss, streamed: reasoning_content then content, usage and timings in a chunk of their own", async () => {
  const reasoning =
    'User: "Say hi in Portuguese". So we answer "Olá!" or "Oi!" ' +
    "We should be helpful. Provide a greeting in Portuguese. Possibly mention " +
    'that "Olá" is formal, "Oi" informal. Let\'s answer simply: "Olá!"';
  for (let seed = 1; seed <= 5; seed++) {
    const llama = await replayStream("llamacpp_gptoss_stream.json", seed);
    assert.equal(llama.failure, undefined);
    assert.equal(
      llama.deltas.map((d) => d.reasoning ?? "").join(""),
      reasoning,
    );
    assert.equal(llama.deltas.map((d) => d.content ?? "").join(""), "Olá!");
    const firstContent = llama.deltas.findIndex((d) => d.content);
    assert.ok(
      llama.deltas.slice(firstContent).every((d) => !d.reasoning),
      "no reasoning after the answer began",
    );
    const { message, finish_reason } = llama.completion!.choices[0];
    assert.deepEqual(message, {
      role: "assistant",
      content: "Olá!",
      reasoning,
    });
    assert.equal(finish_reason, "stop");
    assert.deepEqual(llama.completion!.usage, {
      completion_tokens: 62,
      prompt_tokens: 84,
      total_tokens: 146,
    });
    assert.equal(llama.completion!.timings?.predicted_n, 62);
    assert.equal(llama.completion!.timings?.cache_n, 83);
    assert.equal(llama.completion!.stats?.completionTokens, 62);
    assert.equal(llama.completion!.stats?.estimated, false);
  }
});

Deno.test("llama-server with gpt-oss, whole answer: reasoning_content, content and timings", async () => {
  await using server = await startMockServer();
  server.enqueue(await loadFixture("llamacpp_gptoss_completion.json"));
  const completion = await new GptOssClient({ baseUrl: server.url, model: "m" })
    .generateResponse(ask);
  assert.deepEqual(completion.choices[0].message, {
    role: "assistant",
    content: "Olá!",
    reasoning: 'User says: "Say hi in Portuguese". So just respond with ' +
      '"Olá!" Possibly also "Oi!" Should I reply in Portuguese? Likely just ' +
      '"Olá!". Use friendly tone.',
  });
  assert.equal(completion.choices[0].finish_reason, "stop");
  assert.equal(completion.usage?.completion_tokens, 49);
  assert.equal(completion.timings?.predicted_per_second, 72.41632589120111);
});
