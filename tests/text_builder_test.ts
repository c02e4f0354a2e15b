import assert from "node:assert/strict";
import { TextBuilder } from "../src/stream/text_builder.ts";

Deno.test("TextBuilder keeps every piece in order, across flattening", () => {
  const builder = new TextBuilder();
  assert.equal(builder.empty, true);
  assert.equal(builder.text, "");
  let expected = "";
  for (let i = 0; i < 5000; i++) {
    const piece = i % 7 === 0 ? "" : `${i}\u00e9\u{1F600},`;
    builder.add(piece);
    expected += piece;
    if (i % 1001 === 0) assert.equal(builder.text, expected);
  }
  assert.equal(builder.empty, false);
  assert.equal(builder.text, expected);
  builder.add("end");
  assert.equal(builder.text, expected + "end");
});

Deno.test("TextBuilder stays empty for empty pieces", () => {
  const builder = new TextBuilder();
  builder.add("");
  assert.equal(builder.empty, true);
});
