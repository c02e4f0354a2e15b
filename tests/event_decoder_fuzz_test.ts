/**
 * Fuzzing the stream decoder (SSE parser + chunk decoding + harmony
 * splitting + accumulation) with fast-check: real captured streams, split at
 * random byte boundaries and mutated at random, 10,000 cases in all.
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  cuts,
  mutate,
  mutation,
  outcome,
  splitAt,
  streams,
} from "./_stream_cases.ts";

Deno.test("every real stream decodes the same however its bytes are split (3,000 cases)", () => {
  const whole = streams.map((s) => outcome([s]));
  fc.assert(
    fc.property(fc.nat({ max: streams.length - 1 }), cuts, (which, at) => {
      assert.equal(outcome(splitAt(streams[which], at)), whole[which]);
    }),
    { numRuns: 3000, seed: 1125 },
  );
});

Deno.test("mutated streams give a typed error or a result, the same for any split (7,000 cases)", () => {
  fc.assert(
    fc.property(
      fc.nat({ max: streams.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      cuts,
      (which, mutations, at) => {
        const bytes = mutate(streams[which], mutations);
        assert.equal(outcome(splitAt(bytes, at)), outcome([bytes]));
      },
    ),
    { numRuns: 7000, seed: 2511 },
  );
});
