import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { ChatEventDecoder } from "../src/api/chat/event_decoder.ts";
import { OllamaLineDecoder } from "../src/api/ollama/line_decoder.ts";
import {
  isNdjson,
  type Shape,
  shapedStream,
  SHAPES,
} from "../bench/streaming/shapes.ts";
import {
  cuts,
  decoderOutcome,
  mutate,
  mutation,
  outcome,
  splitAt,
} from "./_stream_cases.ts";

// Every server's real stream shape, decoded with the fast path and without:
// the same deltas, the same completion, the same failure, whatever the text,
// the reads and the damage; and the fast path taken on nearly every event.

const encoder = new TextEncoder();
const off = { templates: false };
const sseShapes = SHAPES.filter((s) => !isNdjson(s));

/** Text pieces with what breaks a shortcut: empty strings, escapes, markup, lone surrogates. */
const piece = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.constantFrom(
    "",
    '"',
    "\\",
    "\n",
    "\u2028",
    "<|end|>",
    "p\u26030",
    "\ud800",
  ),
);

Deno.test("every server's stream shape decodes the same with and without the fast path (3,000 cases)", () => {
  fc.assert(
    fc.property(
      fc.constantFrom<Shape>(...sseShapes),
      fc.array(piece, { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 60 }),
      cuts,
      (shape, pieces, n, at) => {
        const stream = shapedStream(shape, n, n, pieces);
        const bytes = encoder.encode(stream.events.join(""));
        const split = splitAt(bytes, at);
        assert.equal(outcome(split), outcome(split, off));
      },
    ),
    { numRuns: 3000, seed: 1616 },
  );
});

Deno.test("damaged streams of every shape decode the same with and without the fast path (3,000 cases)", () => {
  fc.assert(
    fc.property(
      fc.constantFrom<Shape>(...sseShapes),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      cuts,
      (shape, mutations, at) => {
        const stream = shapedStream(shape, 40, 3);
        const bytes = mutate(encoder.encode(stream.events.join("")), mutations);
        const split = splitAt(bytes, at);
        assert.equal(outcome(split), outcome(split, off));
      },
    ),
    { numRuns: 3000, seed: 1617 },
  );
});

Deno.test("the fast path reads nearly every event of every shape, and everything is found", () => {
  for (const shape of sseShapes) {
    const stream = shapedStream(shape, 2_000);
    const decoder = new ChatEventDecoder();
    let content = 0;
    let reasoning = 0;
    let args = 0;
    for (const delta of decoder.feed(stream.events.join(""))) {
      content += delta.content?.length ?? 0;
      reasoning += delta.reasoning?.length ?? 0;
      for (const call of delta.toolCalls ?? []) {
        args += call.function?.arguments?.length ?? 0;
      }
    }
    assert.ok(decoder.done, shape);
    assert.deepEqual(
      { content, reasoning, args },
      {
        content: stream.content,
        reasoning: stream.reasoning,
        args: stream.arguments,
      },
      shape,
    );
    assert.ok(
      decoder.templateHits >= 0.97 * stream.events.length,
      `${shape}: ${decoder.templateHits} of ${stream.events.length} events`,
    );
  }
});

/** What decoding Ollama's native lines gives, with the fast path or without. */
const linesOutcome = (pieces: Uint8Array[], templates = true) =>
  decoderOutcome(new OllamaLineDecoder({ templates }), pieces);

Deno.test("Ollama's native lines decode the same with and without the fast path, whole and damaged (3,000 cases)", () => {
  fc.assert(
    fc.property(
      fc.array(piece, { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 60 }),
      fc.array(mutation, { maxLength: 3 }),
      cuts,
      (pieces, n, mutations, at) => {
        const stream = shapedStream("ollama-native", n, n, pieces);
        const bytes = mutate(encoder.encode(stream.events.join("")), mutations);
        const split = splitAt(bytes, at);
        assert.equal(linesOutcome(split), linesOutcome(split, false));
      },
    ),
    { numRuns: 3000, seed: 1618 },
  );
  // And the fast path reads nearly every line.
  const stream = shapedStream("ollama-native", 2_000);
  const decoder = new OllamaLineDecoder();
  let found = 0;
  for (const delta of decoder.feed(stream.events.join(""))) {
    found += (delta.content?.length ?? 0) + (delta.reasoning?.length ?? 0);
  }
  assert.ok(decoder.done);
  assert.equal(found, stream.content + stream.reasoning);
  assert.ok(decoder.templateHits >= 0.97 * stream.events.length);
});
