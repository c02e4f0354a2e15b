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

/** String bodies, as they sit between the quotes, that are not one valid, non-empty JSON string. */
const REFUSED_BODIES = [
  "", // empty: the usual way drops it
  'a","content":"b', // a second key inside the "string"
  "a\\", // the closing quote escaped
  "bad \\x escape",
  "raw \n control",
  "cut \\u00e",
];

Deno.test("anything that is not one valid, non-empty JSON string takes the usual way", () => {
  const templates = started();
  learnFrom(templates, vllm('{"content":"a"}'));
  assert.deepEqual(templates.match(vllm('{"content":"ok"}')), {
    content: "ok",
  });
  for (
    const text of [
      ...REFUSED_BODIES.map((raw) => `{"content":"${raw}"}`),
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

/** What parsing the event the usual way gives. */
const parsed = (data: string) => deltaFromChunk(JSON.parse(data));

Deno.test("a template reads an event as parsing does: duplicate keys, both reasoning fields, several fields at once", () => {
  const cases: [learned: string, later: string, hit: boolean][] = [
    // JSON's last key wins: the second "content" is the delta.
    [
      '{"content":"a","content":"b"}',
      '{"content":"z","content":"y"}',
      true,
    ],
    // Both reasoning fields, as vLLM builds of the rename period send them.
    [
      '{"reasoning_content":"x","reasoning":"x"}',
      '{"reasoning_content":"q","reasoning":"q"}',
      true,
    ],
    // Learned equal, later different (or the other way round): the usual way.
    [
      '{"reasoning_content":"x","reasoning":"x"}',
      '{"reasoning_content":"q","reasoning":"r"}',
      false,
    ],
    [
      '{"reasoning_content":"x","reasoning":"y"}',
      '{"reasoning_content":"q","reasoning":"q"}',
      false,
    ],
    [
      '{"content":"a","reasoning":"b"}',
      '{"content":"c","reasoning":"d"}',
      true,
    ],
    // An empty string stays literal: another empty one matches, text does not.
    ['{"content":"","reasoning":"b"}', '{"content":"","reasoning":"d"}', true],
    [
      '{"content":"","reasoning":"b"}',
      '{"content":"c","reasoning":"d"}',
      false,
    ],
    // Tool-call fragments, vLLM style.
    [
      '{"tool_calls":[{"index":0,"function":{"arguments":"{\\"ci"}}]}',
      '{"tool_calls":[{"index":0,"function":{"arguments":"ty\\": "}}]}',
      true,
    ],
    [
      '{"tool_calls":[{"index":0,"function":{"arguments":"{\\"ci"}}]}',
      '{"tool_calls":[{"index":1,"function":{"arguments":"ty"}}]}',
      false,
    ],
  ];
  for (const [learned, later, hit] of cases) {
    const templates = started();
    learnFrom(templates, vllm(learned));
    const got = templates.match(vllm(later));
    if (hit) {
      assert.deepEqual(got, parsed(vllm(later)), `${learned} → ${later}`);
    } else assert.equal(got, undefined, `${learned} → ${later}`);
  }
});

const llama = (content: string, n: number, ms: number) =>
  `{"choices":[{"finish_reason":null,"index":0,"delta":{"content":${
    JSON.stringify(content)
  }}}],"created":${
    1750000000 + n
  },"id":"chatcmpl-l","model":"gpt-oss","system_fingerprint":"b6","object":"chat.completion.chunk","timings":{"prompt_n":12,"prompt_ms":30.5,"predicted_n":${n},"predicted_ms":${ms},"predicted_per_second":${
    n / ms * 1000
  }}}`;

Deno.test("llama.cpp's timings on every chunk are read through a template, each event's own", () => {
  const templates = started();
  learnFrom(templates, llama("a", 1, 10.5));
  for (let n = 2; n < 50; n++) {
    const data = llama(`w${n}`, n, 10.5 * n);
    assert.deepEqual(templates.match(data), { content: `w${n}` });
    // Read from the event's text when asked (only the last one's are kept).
    assert.deepEqual(templates.timings?.(), JSON.parse(data).timings);
  }
  // A value that is not a JSON number, or another key, takes the usual way.
  for (
    const bad of [
      llama("x", 3, 1).replace('"predicted_n":3', '"predicted_n":03'),
      llama("x", 3, 1).replace('"predicted_n":3', '"predicted_n":3.'),
      llama("x", 3, 1).replace('"predicted_n":3', '"predicted_n":"3"'),
      llama("x", 3, 1).replace('"prompt_ms"', '"prompt_MS"'),
      llama("x", 3, 1).replace('"prompt_n":12', '"prompt_n":12,"draft_n":1'),
    ]
  ) assert.equal(templates.match(bad), undefined, bad);
  // A timing that stayed the same while learning is literal text (when it
  // changes, the usual way reads the event), one that was new a hole: either
  // way what is read is the event's own.
  learnFrom(templates, llama("b", 60, 700));
  const other = llama("x", 3, 1).replace('"prompt_n":12', '"prompt_n":13');
  const got = templates.match(other);
  if (got !== undefined) {
    assert.deepEqual(got, parsed(other));
    assert.deepEqual(templates.timings?.(), JSON.parse(other).timings);
  }
});

Deno.test("a template with holes beside the delta's (timings, a timestamp) refuses what is not one valid, non-empty JSON string, as the others do", () => {
  const templates = started();
  learnFrom(templates, llama("a", 1, 10.5));
  const at = (raw: string, n = 7) =>
    llama("HOLE", n, 70).replace('"HOLE"', `"${raw}"`);
  assert.deepEqual(templates.match(at('ok \\u00e9 \\"q\\"')), {
    content: 'ok \u00e9 "q"',
  });
  for (const raw of REFUSED_BODIES) {
    assert.equal(templates.match(at(raw)), undefined, JSON.stringify(raw));
  }
  // Something after the event, or before it.
  assert.equal(templates.match(at("a") + " x"), undefined);
  assert.equal(templates.match("x" + at("a")), undefined);
  // A timestamp that is not a JSON number, or a number that does not end.
  assert.equal(
    templates.match(at("a").replace(/"created":\d+/, '"created":1e')),
    undefined,
  );
  assert.equal(templates.hits, 1);
});

Deno.test("an event whose string holds millions of escapes is read as parsing reads it, though the engine's pattern runs out of stack on it", () => {
  const templates = started();
  learnFrom(templates, llama("a", 1, 10.5));
  const text = '"\n'.repeat(5_000_000);
  const data = llama(text, 7, 70);
  assert.deepEqual(templates.match(data), { content: text });
  assert.deepEqual(templates.timings?.(), JSON.parse(data).timings);
});

Deno.test("events that never repeat stop the learning", () => {
  const templates = started();
  let hits = 0;
  for (let i = 0; i < 100; i++) {
    const data = vllm('{"content":"a"}').replace("chatcmpl-1", `id-${i}`);
    if (templates.match(data) === undefined) learnFrom(templates, data);
    else hits++;
  }
  assert.equal(hits, 0);
  // Learning stopped after a few tries, so a repeat no longer matches.
  const again = vllm('{"content":"b"}').replace("chatcmpl-1", "id-99");
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

Deno.test("every delta read through a template is new, to its innermost object: changing one changes no other", () => {
  const templates = started();
  const event = (text: string) =>
    vllm(
      `{"content":"${text}","tool_calls":[{"index":0,"function":{"arguments":""}}]}`,
    );
  learnFrom(templates, event("a"));
  const first = templates.match(event("b"));
  const second = templates.match(event("c"));
  assert.deepEqual(first, {
    content: "b",
    toolCalls: [{ index: 0, function: { arguments: "" } }],
  });
  assert.ok(first && second);
  assert.notEqual(first.toolCalls, second.toolCalls);
  assert.notEqual(first.toolCalls![0], second.toolCalls![0]);
  assert.notEqual(first.toolCalls![0].function, second.toolCalls![0].function);
  first.toolCalls![0].function!.arguments = "changed";
  assert.equal(
    templates.match(event("d"))!.toolCalls![0].function!.arguments,
    "",
  );
});
