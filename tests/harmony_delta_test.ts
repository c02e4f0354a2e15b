import assert from "node:assert/strict";
import { GptOssClient, type StreamDelta } from "../mod.ts";
import {
  chatCompletionBody,
  sseEvent,
  startMockServer,
} from "../testing/mod.ts";
import { loadFixture } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "Hello World!" }];

/** A stream whose content deltas carry `text` in pieces of `size` characters, as a server that does not parse harmony sends it. */
function contentStream(text: string, size: number): string {
  const base = {
    id: "chatcmpl-raw",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-oss-20b",
  };
  let sse = sseEvent({
    ...base,
    choices: [{ index: 0, delta: { role: "assistant", content: "" } }],
  });
  for (let i = 0; i < text.length; i += size) {
    sse += sseEvent({
      ...base,
      choices: [{ index: 0, delta: { content: text.slice(i, i + size) } }],
    });
  }
  sse += sseEvent({
    ...base,
    choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
  });
  return sse + sseEvent("[DONE]");
}

Deno.test("generateResponse() splits a real reply whose harmony tokens were stripped", async () => {
  const fixture = await loadFixture(
    "harmony_stripped_llamacpp.json",
  ) as unknown as {
    input: string;
    expected: { reasoning: string; content: string };
  };
  await using server = await startMockServer();
  server.enqueue({ json: chatCompletionBody({ content: fixture.input }) });
  const completion = await new GptOssClient({ baseUrl: server.url, model: "m" })
    .generateResponse(ask);
  assert.equal(completion.choices[0].message.content, fixture.expected.content);
  assert.equal(
    completion.choices[0].message.reasoning,
    fixture.expected.reasoning,
  );
});

Deno.test("streamResponse() splits raw harmony in content deltas, never showing a marker", async () => {
  const fixture = await loadFixture(
    "harmony_llamacpp_parser_cases.json",
  ) as unknown as {
    cases: {
      name: string;
      input: string;
      expected: {
        content: string;
        reasoning: string;
        toolCalls?: { name: string; arguments: string }[];
      };
    }[];
  };
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  for (const { name, input, expected } of fixture.cases) {
    for (const size of [1, 3, 7]) {
      server.enqueue({ sse: contentStream(input, size), writes: "event" });
      const stream = client.streamResponse(ask);
      const deltas: StreamDelta[] = [];
      for await (const delta of stream) deltas.push(delta);
      for (const d of deltas) {
        const shown = `${d.content ?? ""}${d.reasoning ?? ""}${
          JSON.stringify(d.toolCalls ?? [])
        }`;
        assert.ok(
          !/<\||\|>/.test(shown),
          `${name} (${size}): marker shown in ${shown}`,
        );
      }
      const { message } = (await stream.completion()).choices[0];
      assert.equal(
        message.reasoning ?? "",
        expected.reasoning,
        `${name} (${size})`,
      );
      assert.equal(
        message.content ?? "",
        expected.content,
        `${name} (${size})`,
      );
      assert.deepEqual(
        message.tool_calls?.map((c) => ({
          name: c.function.name,
          arguments: c.function.arguments,
        })),
        expected.toolCalls,
        `${name} (${size})`,
      );
      if (expected.toolCalls) {
        assert.equal(message.tool_calls![0].id, "call_harmony_0");
      }
    }
  }
});

Deno.test("splitHarmony: false leaves raw harmony in content", async () => {
  await using server = await startMockServer();
  const raw =
    "<|channel|>analysis<|message|>think<|end|><|start|>assistant<|channel|>final<|message|>ok";
  server.enqueue({ json: chatCompletionBody({ content: raw }) });
  server.enqueue({ sse: contentStream(raw, 4) });
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    splitHarmony: false,
  });
  assert.equal(
    (await client.generateResponse(ask)).choices[0].message.content,
    raw,
  );
  assert.equal(
    (await client.streamResponse(ask).completion()).choices[0].message.content,
    raw,
  );
});
