import assert from "node:assert/strict";
import { estimateTokens, estimatingTokenizer } from "../mod.ts";

Deno.test("estimateTokens() is 0 for empty text and at least 1 otherwise", () => {
  assert.equal(estimateTokens(""), 0);
  assert.equal(estimateTokens("a"), 1);
  assert.equal(estimateTokens(" "), 1);
});

Deno.test("estimateTokens() grows with the text and counts wide scripts per character", () => {
  const prose = "The quick brown fox jumps over the lazy dog. ".repeat(20);
  const tokens = estimateTokens(prose);
  // About one token per English word (9 words here, 20 times), never wildly off.
  assert.ok(tokens >= 180 && tokens <= 300, String(tokens));
  assert.equal(estimateTokens("\u4e09\u52a0\u4e09\u7b49\u4e8e\u516d"), 6);
  assert.ok(estimateTokens("\u{1F600}".repeat(10)) >= 10);
  assert.ok(
    estimateTokens('{"a":1,"b":[true,false,null]}') >
      estimateTokens("a b c d e f g h"),
  );
});

Deno.test("estimatingTokenizer counts like estimateTokens", () => {
  assert.equal(
    estimatingTokenizer.count("hello world"),
    estimateTokens("hello world"),
  );
});
