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
    // Read where they sit (one chunk: every event's framing in it).
    assert.ok(
      decoder.templateHitsInPlace >= 0.97 * stream.events.length,
      `${shape}: ${decoder.templateHitsInPlace} in place`,
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
  assert.ok(decoder.templateHitsInPlace >= 0.97 * stream.events.length);
});

/** What may sit between two events of an SSE stream, and what each tests of the fast path's framing. */
const SSE_BETWEEN = [
  "event: error\n", // a typed event: read the usual way (an error here)
  "event: message\n",
  "data: pending\n", // a data line that the next event's joins
  "data:\n",
  "id: 7\n",
  ": a comment\n",
  "retry: 5\n",
  "\n", // a blank line: nothing to dispatch
  "data:  ", // two spaces before the next event's value: a value with a space
  "data: [DONE]\n\n", // the end: what follows is not read
];

/** The same for Ollama's lines. */
const NDJSON_BETWEEN = [
  "\n", // a blank line
  "\r", // a CR before the next line's end... or inside the line
  "  ",
  '{"model":"m","created_at":"t","message":{"role":"assistant","content":"x"},"done":true}\n', // the end
  '{"error":"boom"}\n',
];

Deno.test("events read where they sit keep the stream's framing: event types, pending data, the end, a length limit (2,000 cases)", () => {
  fc.assert(
    fc.property(
      fc.constantFrom<Shape>(...SHAPES),
      fc.array(piece, { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 10, max: 60 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
      fc.option(fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 }))),
      fc.boolean(),
      cuts,
      (shape, pieces, n, inserts, limit, spaceless, at) => {
        const shaped = shapedStream(shape, n, n, pieces).events;
        // `data:` with no space before the value reads the same.
        const events = spaceless
          ? shaped.map((e) => e.replace(/^data: /gm, "data:"))
          : shaped;
        const ndjson = isNdjson(shape);
        const between = ndjson ? NDJSON_BETWEEN : SSE_BETWEEN;
        const parts = [...events];
        for (const [where, what] of inserts) {
          parts.splice(
            1 + where % parts.length,
            0,
            between[what % between.length],
          );
        }
        // A limit near one event's length: the events around it fall on
        // either side of it.
        const maxEventLength = limit === null ? undefined : Math.max(
          1,
          events[limit[0] % events.length].length - 8 + limit[1],
        );
        const bytes = encoder.encode(parts.join(""));
        for (const split of [[bytes], splitAt(bytes, at)]) {
          const decode = (templates: boolean) =>
            decoderOutcome(
              ndjson
                ? new OllamaLineDecoder({ templates, maxEventLength })
                : new ChatEventDecoder({ templates, maxEventLength }),
              split,
            );
          assert.equal(decode(true), decode(false));
        }
      },
    ),
    { numRuns: 2000, seed: 1619 },
  );
});
