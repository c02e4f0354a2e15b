import assert from "node:assert/strict";
import {
  serverTruncation,
  SMALLEST_ASSUMED_WINDOW,
} from "../src/context/server_truncation.ts";

Deno.test("serverTruncation(): with exact counts, fewer than 90% of the tokens sent less 16 is a cut", () => {
  const sent = { tokens: 10_000, exact: true };
  assert.equal(serverTruncation(sent, 8_985), undefined); // 0.9 × 10000 − 16 = 8984
  assert.deepEqual(serverTruncation(sent, 8_983), {
    sentTokens: 10_000,
    serverTokens: 8_983,
  });
  assert.deepEqual(serverTruncation(sent, 4_000), {
    sentTokens: 10_000,
    serverTokens: 4_000,
  });
  // A server that counts a little more, or a few less, read it whole.
  assert.equal(serverTruncation(sent, 10_003), undefined);
  assert.equal(serverTruncation(sent, 9_990), undefined);
});

Deno.test("serverTruncation(): with estimated counts, only a shortfall the estimator cannot explain", () => {
  const sent = { tokens: 7_000, exact: false };
  // The estimator overcounts by up to 1.7 times: 7000 / 1.75 = 4000.
  assert.equal(serverTruncation(sent, 4_001), undefined);
  assert.deepEqual(serverTruncation(sent, 3_999), {
    sentTokens: 7_000,
    serverTokens: 3_999,
  });
  // At least 128 tokens missing, whatever the ratio.
  assert.equal(
    serverTruncation({ tokens: 200, exact: false }, 100, 1),
    undefined,
  );
  assert.ok(serverTruncation({ tokens: 300, exact: false }, 100, 1));
});

Deno.test("serverTruncation(): never for a prompt that fits the server's window, nor without a count", () => {
  const sent = { tokens: 4_000, exact: true };
  assert.equal(serverTruncation(sent, 100), undefined, "fits the 4096 assumed");
  assert.equal(
    serverTruncation({ tokens: SMALLEST_ASSUMED_WINDOW + 1, exact: true }, 100)
      ?.serverTokens,
    100,
  );
  assert.equal(serverTruncation(sent, 100, 32_768), undefined);
  assert.ok(serverTruncation(sent, 100, 2_048));
  for (const missing of [undefined, 0, -1, 1.5, NaN]) {
    assert.equal(
      serverTruncation({ tokens: 10_000, exact: true }, missing),
      undefined,
      String(missing),
    );
  }
});
