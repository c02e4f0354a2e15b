import assert from "node:assert/strict";
import { GptOssClient } from "../mod.ts";
import { startMockServer } from "../testing/mod.ts";

Deno.test("one client runs 100 streams at once without cross-talk, and frees every socket", async () => {
  await using server = await startMockServer({ eventDelayMs: 1 });
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxRetries: 0,
  });
  const questions = Array.from(
    { length: 100 },
    (_, i) => `question number ${i} \u00e9\u{1F600}`,
  );
  const results = await Promise.all(questions.map(async (question) => {
    let content = "";
    let reasoning = "";
    const stream = client.streamResponse([{ role: "user", content: question }]);
    for await (const delta of stream) {
      content += delta.content ?? "";
      reasoning += delta.reasoning ?? "";
    }
    const completion = await stream.completion();
    return { question, content, reasoning, completion };
  }));
  for (const { question, content, reasoning, completion } of results) {
    // The mock echoes the question in both channels: each stream carries its own.
    assert.ok(content.includes(`"${question}"`), content);
    assert.ok(reasoning.includes(`"${question}"`), reasoning);
    assert.equal(completion.choices[0].message.content, content);
    assert.equal(completion.choices[0].finish_reason, "stop");
    assert.equal(completion.incomplete, undefined);
  }
  assert.equal(
    server.requests.filter((r) => r.path === "/v1/chat/completions").length,
    100,
  );
});
