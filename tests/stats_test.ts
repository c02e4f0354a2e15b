import assert from "node:assert/strict";
import { GptOssClient } from "../mod.ts";
import { computeStats } from "../src/stream/stats.ts";
import {
  chatCompletionBody,
  chatCompletionStream,
  startMockServer,
} from "../testing/mod.ts";
import { loadFixture } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "count" }];

Deno.test("computeStats() measures time to first token and the speed after it", () => {
  const completion = chatCompletionBody({
    content: "x",
    usage: { prompt_tokens: 1, completion_tokens: 101, total_tokens: 102 },
  });
  const stats = computeStats({
    startedAt: 1000,
    firstTokenAt: 1250,
    endedAt: 3250,
  }, completion as never);
  assert.deepEqual(stats, {
    totalMs: 2250,
    timeToFirstTokenMs: 250,
    completionTokens: 101,
    estimated: false,
    tokensPerSecond: 50, // 100 tokens after the first, in 2 s
  });
  const whole = computeStats(
    { startedAt: 0, endedAt: 500 },
    completion as never,
  );
  assert.equal(whole.tokensPerSecond, 202);
  assert.equal(whole.timeToFirstTokenMs, undefined);
});

Deno.test("computeStats() estimates the tokens when the server reports no usage", () => {
  const completion = chatCompletionBody({ content: "four words right here" });
  delete (completion as { usage?: unknown }).usage;
  const stats = computeStats(
    { startedAt: 0, endedAt: 100 },
    completion as never,
  );
  assert.equal(stats.estimated, true);
  assert.ok(stats.completionTokens >= 4);
});

Deno.test("a stream's time to first token is the first token's, however long the rest takes", async () => {
  await using server = await startMockServer();
  // The role chunk, the first token, then a pause of 300 ms before the rest.
  server.enqueue({
    sse: chatCompletionStream({ content: "one two three four" }),
    writes: "event",
    pauseAfterWrites: 2,
    pauseMs: 300,
  });
  const completion = await new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask).completion();
  const stats = completion.stats!;
  assert.equal(completion.choices[0].message.content, "one two three four");
  // The pause is a lower bound on what comes after the first token.
  assert.ok(
    stats.totalMs - stats.timeToFirstTokenMs! >= 250,
    JSON.stringify(stats),
  );
});

Deno.test("a stream's completion carries the client's stats, with the first token after the server's delay", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream({ content: "one two three four" }),
    writes: "event",
    delayMs: 60,
  });
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask);
  const completion = await stream.completion();
  const stats = completion.stats!;
  // The role chunk comes first; the first token is the second event, 60 ms later.
  assert.ok(stats.timeToFirstTokenMs! >= 50, JSON.stringify(stats));
  assert.ok(stats.totalMs >= stats.timeToFirstTokenMs!);
  assert.equal(stats.completionTokens, completion.usage!.completion_tokens);
  assert.ok(stats.tokensPerSecond > 0);
});

Deno.test("llama.cpp's timings give the server's token count when an answer has no usage", async () => {
  // The captured chunks of llama-server b9554 (timings on every chunk, no
  // usage: the client that captured them did not ask for it), continued with
  // predicted_n counting up, so that most are read through a template.
  const { sse } = await loadFixture("llamacpp_stream_timings.json");
  const [first] = sse!.split("\n\n");
  const events = [];
  for (let n = 28; n < 28 + 40; n++) {
    events.push(
      first.replace('"predicted_n":28', `"predicted_n":${n}`)
        .replace('" it"', JSON.stringify(` w${n}`)),
    );
  }
  events.push(
    events[events.length - 1]
      .replace('"finish_reason":null', '"finish_reason":"stop"')
      .replace(/"delta":\{[^}]*\}/, '"delta":{}')
      .replace(/"predicted_n":\d+/, '"predicted_n":68'),
    "data: [DONE]",
  );
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  server.enqueue({ sse: events.join("\n\n") + "\n\n" });
  const streamed = await client.streamResponse(ask).completion();
  assert.equal(streamed.usage, undefined);
  assert.equal(streamed.timings?.predicted_n, 68);
  assert.equal(streamed.stats?.completionTokens, 68);
  assert.equal(streamed.stats?.estimated, false);
  // A whole answer with timings and no usage.
  const whole = chatCompletionBody({ content: "four words right here" });
  delete (whole as { usage?: unknown }).usage;
  server.enqueue({
    json: { ...whole, timings: { predicted_n: 7, predicted_ms: 70.5 } },
  });
  const answer = await client.generateResponse(ask);
  assert.equal(answer.stats?.completionTokens, 7);
  assert.equal(answer.stats?.estimated, false);
  // A timings object without a whole count is not a count.
  server.enqueue({ json: { ...whole, timings: { predicted_n: 7.5 } } });
  assert.equal((await client.generateResponse(ask)).stats?.estimated, true);
});
