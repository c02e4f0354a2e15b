import assert from "node:assert/strict";
import {
  ApiError,
  ConnectionError,
  ContextSizeError,
  InvalidResponseError,
  TimeoutError,
} from "../mod.ts";
import {
  isOutputParseFailure,
  isRetryable,
  RETRYABLE_STATUSES,
  retryDelay,
  serverRetryDelay,
} from "../src/http/retry.ts";

const apiError = (status: number) =>
  new ApiError({ status, serverMessage: "x", body: "" });

Deno.test("isRetryable() takes connection failures before any answer and busy statuses only", () => {
  assert.deepEqual([...RETRYABLE_STATUSES], [
    408,
    409,
    429,
    500,
    502,
    503,
    504,
  ]);
  for (const status of RETRYABLE_STATUSES) {
    assert.ok(isRetryable(apiError(status)));
  }
  for (const status of [400, 401, 403, 404, 413, 422, 501]) {
    assert.ok(!isRetryable(apiError(status)), String(status));
  }
  assert.ok(isRetryable(new ConnectionError("http://h", "refused")));
  assert.ok(
    !isRetryable(new ConnectionError("http://h", "reset", { midway: true })),
  );
  assert.ok(
    !isRetryable(
      new ContextSizeError({ promptTokens: 9, maxContextSize: 8, status: 500 }),
    ),
  );
  assert.ok(!isRetryable(new TimeoutError("headers", 10, "http://h")));
  assert.ok(!isRetryable(new InvalidResponseError("bad")));
});

Deno.test("serverRetryDelay() reads retry-after-ms, then Retry-After in seconds or as an HTTP date", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  const delay = (headers: Record<string, string>) =>
    serverRetryDelay(new Headers(headers), now);
  assert.equal(delay({ "retry-after-ms": "250" }), 250);
  assert.equal(delay({ "retry-after-ms": "1.5", "retry-after": "9" }), 1.5);
  assert.equal(delay({ "retry-after": "3" }), 3000);
  assert.equal(delay({ "retry-after": "Wed, 25 Nov 2026 12:00:07 GMT" }), 7000);
  assert.equal(delay({}), undefined);
  // Nonsense, the past, and waits longer than a minute are not honoured.
  assert.equal(delay({ "retry-after": "soon" }), undefined);
  assert.equal(delay({ "retry-after": "-1" }), undefined);
  assert.equal(
    delay({ "retry-after": "Wed, 25 Nov 2026 11:59:00 GMT" }),
    undefined,
  );
  assert.equal(delay({ "retry-after": "3600" }), undefined);
  assert.equal(delay({ "retry-after-ms": "", "retry-after": "2" }), 2000);
});

Deno.test("retryDelay() doubles from 500 ms to at most 8 s, with up to 25% jitter", () => {
  const none = () => 0;
  const most = () => 0.999999;
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 9].map((r) => retryDelay(r, undefined, none)),
    [
      500,
      1000,
      2000,
      4000,
      8000,
      8000,
      8000,
    ],
  );
  assert.equal(retryDelay(0, undefined, most), 375);
  assert.equal(retryDelay(4, undefined, most), 6000);
  assert.equal(retryDelay(3, 1234, most), 1234, "the server's wait wins");
});

Deno.test("isOutputParseFailure() knows llama.cpp's and vLLM's parser failures, only as 500s", () => {
  const error = (status: number, serverMessage: string) =>
    new ApiError({ status, serverMessage, body: "" });
  for (
    const message of [
      "The model produced output that does not match the expected peg-native format",
      "The model produced output that does not match the expected harmony format",
      "HarmonyError: unexpected tokens remaining in message header",
      "Unexpected token 200005 while expecting start token 200006",
    ]
  ) {
    assert.ok(isOutputParseFailure(error(500, message)), message);
    assert.ok(!isOutputParseFailure(error(400, message)), message);
  }
  assert.ok(!isOutputParseFailure(error(500, "CUDA out of memory")));
  assert.ok(!isOutputParseFailure(new ConnectionError("http://x", "refused")));
});
