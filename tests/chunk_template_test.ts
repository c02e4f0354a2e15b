import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { deltaFromChunk } from "../src/api/chat/chunk.ts";
import { ChunkTemplates } from "../src/api/chat/chunk_template.ts";
import { ChatEventDecoder } from "../src/api/chat/event_decoder.ts";
import { chatCompletionStream } from "../testing/mod.ts";
import { loadFixture } from "./_helpers.ts";
import {
  cuts,
  mutate,
  mutation,
  outcome,
  splitAt,
  streams,
} from "./_stream_cases.ts";

const encoder = new TextEncoder();
const off = { templates: false };

/** Parses one event the usual way, then lets the templates learn from it. */
function learnFrom(templates: ChunkTemplates, data: string) {
  const record = JSON.parse(data);
  const delta = deltaFromChunk(record)!;
  templates.learn(data, record, delta);
  return delta;
}

/** Templates that have seen a stream's first event, which they never learn from. */
function started(): ChunkTemplates {
  const templates = new ChunkTemplates();
  learnFrom(templates, vllm('{"content":"first"}'));
  return templates;
}

const vllm = (delta: string) =>
  `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":null}]}`;

Deno.test("the first event of a stream is not learned from: one delta never repays the probe", () => {
  const templates = new ChunkTemplates();
  learnFrom(templates, vllm('{"content":"a"}'));
  assert.equal(templates.match(vllm('{"content":"b"}')), undefined);
  learnFrom(templates, vllm('{"content":"a"}'));
  assert.deepEqual(templates.match(vllm('{"content":"b"}')), { content: "b" });
});

Deno.test("an event shaped like an earlier one is read without parsing it", () => {
  const templates = started();
  assert.equal(templates.match(vllm('{"reasoning_content":"a"}')), undefined);
  learnFrom(templates, vllm('{"content":"a"}'));
  learnFrom(templates, vllm('{"reasoning_content":"r"}'));
  assert.deepEqual(templates.match(vllm('{"content":"Olá \\"x\\""}')), {
    content: 'Olá "x"',
  });
  assert.deepEqual(templates.match(vllm('{"reasoning_content":"\\u00e9"}')), {
    reasoning: "\u00e9",
  });
  assert.equal(templates.record.id, "chatcmpl-1");
  assert.equal(templates.hits, 2);
});

Deno.test("anything that is not one valid, non-empty JSON string takes the usual way", () => {
  const templates = started();
  learnFrom(templates, vllm('{"content":"a"}'));
  assert.deepEqual(templates.match(vllm('{"content":"ok"}')), {
    content: "ok",
  });
  for (
    const text of [
      '{"content":""}', // empty: the usual way drops it
      '{"content":"a","content":"b"}', // a second key inside the "string"
      '{"content":"a\\"}', // the closing quote escaped
      '{"content":"bad \\x escape"}',
      '{"content":"raw \n control"}',
      '{"content":"a"},"logprobs":null,"finish_reason":"stop"}]}//',
    ]
  ) {
    assert.equal(templates.match(vllm(text)), undefined, text);
  }
  // Another finish reason, another id: another suffix or prefix.
  assert.equal(
    templates.match(vllm('{"content":"a"}').replace(":null}]", ':"stop"}]')),
    undefined,
  );
  assert.equal(
    templates.match(vllm('{"content":"a"}').replace("chatcmpl-1", "x")),
    undefined,
  );
  assert.equal(templates.hits, 1);
});

Deno.test("a template is learned only from the string the delta was read from", () => {
  const templates = started();
  // The first "content" key is overridden by the second (JSON's last one wins).
  learnFrom(templates, vllm('{"content":"a","content":"b"}'));
  assert.equal(
    templates.match(vllm('{"content":"z","content":"b"}')),
    undefined,
  );
  // Both reasoning fields: `reasoning` is read, so `reasoning_content` is no template.
  learnFrom(templates, vllm('{"reasoning_content":"x","reasoning":"y"}'));
  assert.equal(
    templates.match(vllm('{"reasoning_content":"q","reasoning":"y"}')),
    undefined,
  );
  // `reasoning` itself is: a template, found after the other field.
  assert.deepEqual(
    templates.match(vllm('{"reasoning_content":"x","reasoning":"q"}')),
    { reasoning: "q" },
  );
  // A delta with more than one thing in it is no template.
  learnFrom(templates, vllm('{"content":"a","reasoning":"b"}'));
  assert.equal(
    templates.match(vllm('{"content":"c","reasoning":"b"}')),
    undefined,
  );
  assert.equal(templates.hits, 1);
});

Deno.test("events that never repeat (llama.cpp's timings on every chunk) stop the learning", () => {
  const templates = started();
  let learned = 0;
  for (let i = 0; i < 100; i++) {
    const data = vllm('{"content":"a"}').replace(
      '"model"',
      `"timings":{"predicted_n":${i}},"model"`,
    );
    if (templates.match(data) === undefined) learnFrom(templates, data);
    else learned++;
  }
  assert.equal(learned, 0);
  // Learning stopped after a few tries, so a repeat no longer matches.
  const again = vllm('{"content":"b"}').replace(
    '"model"',
    `"timings":{"predicted_n":99},"model"`,
  );
  assert.equal(templates.match(again), undefined);
});

Deno.test("captured streams are read through templates, with the same result as parsing every event", async () => {
  for (
    const [name, atLeast] of [
      ["llamacpp_gptoss_stream.json", 45],
      ["llamacpp_gptoss_tool_stream.json", 5],
      ["ollama_v1_stream.json", 0],
    ] as const
  ) {
    const bytes = encoder.encode((await loadFixture(name)).sse!);
    const on = outcome([bytes]);
    assert.equal(on, outcome([bytes], off), name);
    const decoder = new ChatEventDecoder();
    decoder.feed(new TextDecoder().decode(bytes));
    assert.ok(
      decoder.templateHits >= atLeast,
      `${name}: ${decoder.templateHits} events read through a template`,
    );
  }
});

Deno.test("mutated streams decode the same with and without templates (4,000 cases)", () => {
  fc.assert(
    fc.property(
      fc.nat({ max: streams.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      cuts,
      (which, mutations, at) => {
        const pieces = splitAt(mutate(streams[which], mutations), at);
        assert.equal(outcome(pieces), outcome(pieces, off));
      },
    ),
    { numRuns: 4000, seed: 2611 },
  );
});

Deno.test("any answer and reasoning text decode the same with and without templates (1,000 cases)", () => {
  const text = fc.string({ unit: "binary", maxLength: 40 });
  fc.assert(
    fc.property(text, text, cuts, (reasoning, content, at) => {
      const bytes = encoder.encode(
        chatCompletionStream({
          reasoning,
          content,
          reasoningField: "reasoning_content",
        }),
      );
      const pieces = splitAt(bytes, at);
      assert.equal(outcome(pieces), outcome(pieces, off));
    }),
    { numRuns: 1000, seed: 2711 },
  );
});
