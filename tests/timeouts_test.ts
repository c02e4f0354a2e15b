import assert from "node:assert/strict";
import { ConfigError, GptOssClient } from "../mod.ts";
import { DEFAULT_TIMEOUTS, resolveTimeouts } from "../src/http/timeouts.ts";

Deno.test("resolveTimeouts() takes a number for headers and idle, or each limit apart", () => {
  assert.deepEqual(resolveTimeouts("timeout", undefined), {
    headers: 30000,
    idle: 30000,
  });
  assert.deepEqual(DEFAULT_TIMEOUTS, { headers: 30000, idle: 30000 });
  assert.deepEqual(resolveTimeouts("timeout", 500), {
    headers: 500,
    idle: 500,
  });
  assert.deepEqual(resolveTimeouts("timeout", { total: 9000 }), {
    headers: 30000,
    idle: 30000,
    total: 9000,
  });
  const base = { headers: 1, idle: 2, total: 3 };
  assert.deepEqual(resolveTimeouts("t", { idle: 5 }, base), {
    headers: 1,
    idle: 5,
    total: 3,
  });
  assert.deepEqual(resolveTimeouts("t", 7, base), {
    headers: 7,
    idle: 7,
    total: 3,
  });
});

Deno.test("resolveTimeouts() names the wrong limit", () => {
  const fails = (value: unknown, field: string) =>
    assert.throws(
      () => resolveTimeouts("timeout", value),
      (e: unknown) => e instanceof ConfigError && e.field === field,
    );
  fails(0, "timeout");
  fails("30s", "timeout");
  fails([1], "timeout");
  fails({ headers: -1 }, "timeout.headers");
  fails({ idle: Infinity }, "timeout.idle");
  fails({ total: "1m" }, "timeout.total");
  fails({ stall: 5 }, "timeout.stall");
});

Deno.test("the client shows its limits and takes them per call", () => {
  const client = new GptOssClient({
    timeout: { headers: 60000, total: 120000 },
    maxRetries: 0,
  });
  assert.deepEqual(client.settings.timeout, {
    headers: 60000,
    idle: 30000,
    total: 120000,
  });
  assert.equal(client.settings.maxRetries, 0);
  assert.throws(() => new GptOssClient({ maxRetries: -1 }), ConfigError);
  assert.throws(() => new GptOssClient({ maxRetries: 1.5 }), ConfigError);
  assert.throws(() => new GptOssClient({ maxResponseBytes: 0 }), ConfigError);
  assert.throws(
    () =>
      client.streamResponse([{ role: "user", content: "x" }], {
        timeout: { idle: 0 },
      }),
    ConfigError,
  );
});
