import assert from "node:assert/strict";
import {
  type HarmonyPiece,
  HarmonySplitter,
  splitHarmony,
} from "../src/harmony/splitter.ts";
import { loadFixture } from "./_helpers.ts";

interface Expected {
  content: string;
  reasoning: string;
  toolCalls?: { name: string; arguments: string }[];
}

function collect(pieces: HarmonyPiece[]): Expected {
  const result: Expected = { content: "", reasoning: "" };
  const calls: { name: string; arguments: string }[] = [];
  for (const p of pieces) {
    if (p.kind === "content") result.content += p.text;
    else if (p.kind === "reasoning") result.reasoning += p.text;
    else {
      calls[p.index] ??= { name: "", arguments: "" };
      calls[p.index].name += p.name ?? "";
      calls[p.index].arguments += p.arguments ?? "";
    }
  }
  if (calls.length) result.toolCalls = calls;
  return result;
}

function run(chunks: string[]): { out: Expected; pieces: HarmonyPiece[] } {
  const splitter = new HarmonySplitter();
  const pieces: HarmonyPiece[] = [];
  for (const chunk of chunks) pieces.push(...splitter.feed(chunk));
  pieces.push(...splitter.end());
  return { out: collect(pieces), pieces };
}

const MARKER_PIECE = /<\||\|>|<\|[a-z]*$|^[a-z]*\|>/;

function assertNoMarkers(pieces: HarmonyPiece[], where: string) {
  for (const p of pieces) {
    const text = p.kind === "tool"
      ? `${p.name ?? ""}${p.arguments ?? ""}`
      : p.text;
    assert.ok(
      !MARKER_PIECE.test(text),
      `${where}: a marker leaked: ${JSON.stringify(text)}`,
    );
  }
}

Deno.test("HarmonySplitter() splits llama.cpp's GPT-OSS parser cases like llama.cpp does", async () => {
  const fixture = await loadFixture(
    "harmony_llamacpp_parser_cases.json",
  ) as unknown as {
    cases: { name: string; input: string; expected: Expected }[];
  };
  assert.equal(fixture.cases.length, 12);
  for (const { name, input, expected } of fixture.cases) {
    const { out, pieces } = run([input]);
    assert.deepEqual(out, expected, name);
    assertNoMarkers(pieces, name);
  }
});

Deno.test("HarmonySplitter() gives the same split however the text is cut into chunks", async () => {
  const fixture = await loadFixture(
    "harmony_llamacpp_parser_cases.json",
  ) as unknown as {
    cases: { name: string; input: string; expected: Expected }[];
  };
  for (const { name, input, expected } of fixture.cases) {
    for (let at = 0; at <= input.length; at++) {
      const { out, pieces } = run([input.slice(0, at), input.slice(at)]);
      assert.deepEqual(out, expected, `${name}, split at ${at}`);
      assertNoMarkers(pieces, `${name}, split at ${at}`);
    }
    const { out } = run([...input]);
    assert.deepEqual(out, expected, `${name}, one character at a time`);
  }
});

Deno.test("HarmonySplitter() splits a real reply whose special tokens were stripped", async () => {
  const fixture = await loadFixture(
    "harmony_stripped_llamacpp.json",
  ) as unknown as {
    input: string;
    expected: Expected;
  };
  for (let at = 0; at <= fixture.input.length; at++) {
    const { out } = run([fixture.input.slice(0, at), fixture.input.slice(at)]);
    assert.deepEqual(out, fixture.expected, `split at ${at}`);
  }
});

Deno.test("HarmonySplitter() passes plain answers through untouched", () => {
  for (
    const text of [
      "Hello there",
      "analysis of the data shows growth",
      "Analysis: fine",
      "<div>not harmony</div>",
      "an",
      "",
      "x <|channel|> inside an answer is kept",
    ]
  ) {
    for (let at = 0; at <= text.length; at++) {
      const splitter = new HarmonySplitter();
      const { out } = run([text.slice(0, at), text.slice(at)]);
      assert.deepEqual(
        out,
        { content: text, reasoning: "" },
        `${JSON.stringify(text)} split at ${at}`,
      );
      assert.equal(splitter.isHarmony, false);
    }
  }
});

Deno.test("HarmonySplitter() reads a message to the user or the assistant as the answer, not a tool call", () => {
  for (const recipient of ["user", "assistant"]) {
    const { out } = run([
      `<|channel|>analysis<|message|>Think.<|end|><|start|>assistant<|channel|>commentary to=${recipient}<|message|>On it.<|end|>`,
    ]);
    assert.deepEqual(
      out,
      { content: "On it.", reasoning: "Think." },
      recipient,
    );
  }
  const { out } = run([
    "<|channel|>commentary to=functions.lookup <|constrain|>json<|message|>{}<|call|>",
  ]);
  assert.deepEqual(out.toolCalls, [{ name: "lookup", arguments: "{}" }]);
});

Deno.test("HarmonySplitter() drops a marker cut off at the very end, and keeps unknown <|…|> text", () => {
  assert.deepEqual(run(["<|channel|>final<|message|>Done<|re"]).out, {
    content: "Done",
    reasoning: "",
  });
  assert.deepEqual(run(["<|channel|>final<|message|>a <|b|> c"]).out, {
    content: "a <|b|> c",
    reasoning: "",
  });
});

Deno.test("splitHarmony() returns undefined for text that is not harmony", () => {
  assert.equal(splitHarmony("just text"), undefined);
  assert.deepEqual(splitHarmony("<|channel|>final<|message|>ok"), [{
    kind: "content",
    text: "ok",
  }]);
});
