/**
 * The client's vLLM renderers against vLLM's own code: for random chat
 * requests of every shape, each release's conversion (its harmony_utils.py
 * from PyPI) rendered by the harmony package that release runs with must
 * give the same prompt text and the same number of tokens as the client's
 * renderer for that release. The reference files are set up by
 * `.ci/reference` (CI does it; elsewhere the test is skipped without them).
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { countPieces } from "../src/context/rendered_tokens.ts";
import { piecesText } from "../src/harmony/encoding.ts";
import { harmonyPathPieces } from "../src/harmony/harmony_path.ts";
import { gptOssTokenizer } from "../tokenizer/mod.ts";
import { chatRequest, type ChatRequestCase } from "./_conversations.ts";
import {
  referenceFolder,
  renderWithVllm,
  VLLM_RELEASES,
} from "./_vllm_reference.ts";

const folder = referenceFolder();
const required = Deno.env.get("CI") === "true";

Deno.test({
  name: "the vLLM reference files are set up where CI runs",
  ignore: !required,
  fn() {
    assert.ok(
      folder,
      "GPTOSS_REFERENCE does not name a folder made by .ci/reference",
    );
  },
});

const CASES = fc.sample(chatRequest, { numRuns: 500, seed: 20261201 });

// The request of captures vllm/02 and vllm/29, whose prompt vLLM reported.
const CAPTURED: ChatRequestCase = {
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Say hello" },
  ],
  reasoningEffort: "high",
  date: "2026-12-01",
};

for (const release of VLLM_RELEASES) {
  Deno.test({
    name:
      `renderer "${release.renderer}" renders as vLLM ${release.version} does, text and tokens, on random requests`,
    ignore: folder === undefined,
    async fn() {
      const cases = [CAPTURED, ...CASES];
      const answers = await renderWithVllm(folder!, release, cases);
      let compared = 0;
      answers.forEach((answer, i) => {
        const c = cases[i];
        if ("error" in answer) {
          // vLLM before 0.30 fails on a tool without a description
          // (ToolDescription takes no None); the client renders it as "".
          assert.ok(
            release.version === "0.22.1" &&
              answer.error.includes("ToolDescription") &&
              c.tools?.some((t) => t.function.description === undefined),
            `vLLM ${release.version} refused case ${i}: ${answer.error}`,
          );
          return;
        }
        const { head, messages, footer } = harmonyPathPieces(c.messages, {
          ...(c.tools ? { tools: c.tools } : {}),
          ...(c.reasoningEffort ? { reasoningEffort: c.reasoningEffort } : {}),
          currentDate: c.date,
          renderer: release.renderer,
        });
        const pieces = [...head, ...messages.flat(), ...footer];
        const where = `case ${i}: ${JSON.stringify(c).slice(0, 600)}`;
        assert.equal(piecesText(pieces), answer.text, where);
        assert.equal(
          countPieces(pieces, gptOssTokenizer),
          answer.ids.length,
          where,
        );
        compared++;
      });
      assert.ok(compared > cases.length * 0.7, `only ${compared} compared`);
      const captured = answers[0];
      assert.ok("ids" in captured);
      // vLLM of 2026-05-24 (capture vllm/29) reported 77, as 0.22 renders it.
      assert.equal(
        captured.ids.length,
        release.layout === "separate-system" ? 77 : 80,
      );
    },
  });
}
