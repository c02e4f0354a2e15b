/**
 * Harmony splitting leaves a plain answer alone: whatever a normal answer
 * begins with ("analysis: …", "analysis.", "Analysis", a word glued to a
 * capital), streamed in any pieces or whole, its content comes back as it
 * was and nothing becomes reasoning. Only the full signature of the harmony
 * forms (special tokens, or "analysis…assistantfinal…") is split.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { GptOssClient } from "../mod.ts";
import {
  chatCompletionBody,
  chatCompletionStream,
  startMockServer,
} from "../testing/mod.ts";
import { HarmonySplitter, splitHarmony } from "../src/harmony/splitter.ts";
import { splitAt } from "./_helpers.ts";

/** Openings a normal answer has, including the word "analysis" itself. */
const opening = fc.constantFrom(
  "analysis",
  "analysis:",
  "analysis.",
  "analysis\n",
  "analysis ",
  "analysisUser",
  "analysis\u00c9",
  "Analysis",
  "assistant",
  "final",
  "<b>",
  "<",
  "<|",
  " to=",
  "analysis: the data shows growth",
  "analysisWe",
);
const rest = fc.array(
  fc.constantFrom(
    " of the data",
    ".",
    " assistant",
    " final",
    "\n",
    " <|notatoken|>",
    " commentary",
    "Hello",
    " ünïcode",
    " 🙂",
  ),
  { maxLength: 6 },
).map((p) => p.join(""));
const plainAnswer = fc.tuple(opening, rest).map(([a, b]) => a + b)
  // The full signatures are not plain answers.
  .filter((t) =>
    !/assistant(final|commentary|analysis)|<\|(channel|start|message|end|return|call|constrain)\|>/
      .test(t)
  );

function splitStreamed(text: string, cuts: number[]) {
  const splitter = new HarmonySplitter();
  const pieces = splitAt(text, cuts).flatMap((piece) => splitter.feed(piece));
  pieces.push(...splitter.end());
  return pieces;
}

Deno.test("a plain answer, whatever it begins with, stays content, streamed in any pieces or whole", () => {
  fc.assert(
    fc.property(
      plainAnswer,
      fc.array(fc.nat(), { maxLength: 8 }),
      (text, cuts) => {
        assert.equal(
          splitHarmony(text),
          undefined,
          "a whole message is left alone",
        );
        const pieces = splitStreamed(text, cuts);
        assert.ok(
          pieces.every((p) => p.kind === "content"),
          JSON.stringify(pieces),
        );
        assert.equal(
          pieces.map((p) => p.kind === "content" ? p.text : "").join(""),
          text,
        );
      },
    ),
    { numRuns: 3000, seed: 5151 },
  );
});

Deno.test("an answer that begins like harmony but is not is shown at once, not held to the end", () => {
  for (
    const opening of [
      "analysis: the data",
      "analysis. Then",
      "analysis\nNext",
      "analysis of it",
      " to the",
      "<b>bold",
    ]
  ) {
    const splitter = new HarmonySplitter();
    const pieces = splitter.feed(opening);
    assert.deepEqual(pieces, [{ kind: "content", text: opening }], opening);
  }
});

Deno.test("the full stripped signature is still split: analysis…assistantfinal…", () => {
  fc.assert(
    fc.property(fc.array(fc.nat(), { maxLength: 8 }), (cuts) => {
      const text = "analysisUser says hi. Greet back.assistantfinalHello!";
      const pieces = splitStreamed(text, cuts);
      const of = (kind: string) =>
        pieces.map((p) => p.kind === kind && "text" in p ? p.text : "").join(
          "",
        );
      assert.equal(of("reasoning"), "User says hi. Greet back.");
      assert.equal(of("content"), "Hello!");
    }),
    { numRuns: 500, seed: 6161 },
  );
});

Deno.test("the client leaves an answer that begins with 'analysis' alone, streamed and whole", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  for (
    const content of [
      "analysis: the data shows growth.",
      "analysis.",
      "analysisUser asked.",
    ]
  ) {
    server.enqueue({ sse: chatCompletionStream({ content }), writes: 3 });
    const streamed = await client.streamResponse([{
      role: "user",
      content: "?",
    }]).completion();
    assert.deepEqual(streamed.choices[0].message, {
      role: "assistant",
      content,
    });
    server.enqueue({ json: chatCompletionBody({ content }) });
    const whole = await client.generateResponse([{
      role: "user",
      content: "?",
    }]);
    assert.deepEqual(whole.choices[0].message, { role: "assistant", content });
  }
});
