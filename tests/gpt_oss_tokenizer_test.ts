import assert from "node:assert/strict";
import { gptOssTokenizer, HARMONY_SPECIAL_TOKENS } from "../tokenizer/mod.ts";

// Expected ids from openai/harmony tests/test_harmony.py
// (test_encode_allowed_special, test_invalid_utf8_decoding).
Deno.test("gptOssTokenizer encodes ordinary text as o200k_harmony does", () => {
  assert.deepEqual(gptOssTokenizer.encode("hello world"), [24912, 2375]);
  assert.equal(gptOssTokenizer.count("hello world"), 2);
  assert.equal(gptOssTokenizer.exact, true);
});

Deno.test("gptOssTokenizer makes every special token one token, however many there are", () => {
  assert.deepEqual(gptOssTokenizer.encode("<|start|>"), [200006]);
  const user = gptOssTokenizer.encode("user");
  const hi = gptOssTokenizer.encode("hi");
  const ids = gptOssTokenizer.encode("<|start|>user<|message|>hi<|end|>");
  assert.deepEqual(ids, [200006, ...user, 200008, ...hi, 200007]);
  assert.equal(
    gptOssTokenizer.count("<|start|>user<|message|>hi<|end|>"),
    ids.length,
  );
  assert.deepEqual(
    gptOssTokenizer.encode("<|reserved_200100|><|call|><|return|>"),
    [
      200100,
      HARMONY_SPECIAL_TOKENS["<|call|>"],
      HARMONY_SPECIAL_TOKENS["<|return|>"],
    ],
  );
});

Deno.test("gptOssTokenizer encodes a look-alike that is not a special token as text", () => {
  // harmony's test: "<|start|>" encoded as text is [27, 91, 5236, 91, 29].
  assert.deepEqual(gptOssTokenizer.encode("<|start"), [27, 91, 5236]);
  assert.ok(gptOssTokenizer.count("<|reserved_999999|>") > 1);
});

Deno.test("gptOssTokenizer decodes what it encodes", () => {
  const text =
    "<|start|>assistant<|channel|>final<|message|>Caf\u00e9 \u65e5\u672c \u{1F389}<|return|>";
  assert.equal(gptOssTokenizer.decode(gptOssTokenizer.encode(text)), text);
  assert.ok(gptOssTokenizer.decode([132990, 9552]).includes("Chicken"));
});
