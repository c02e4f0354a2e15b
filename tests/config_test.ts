import assert from "node:assert/strict";
import {
  ConfigError,
  DEFAULT_CONFIG,
  GptOssClient,
  type GptOssConfig,
} from "../mod.ts";
import { startMockServer } from "../testing/mod.ts";

function rejects(config: unknown, field: string, mentions: string[]) {
  assert.throws(
    () => new GptOssClient(config as GptOssConfig),
    (error: unknown) => {
      assert.ok(
        error instanceof ConfigError,
        `expected ConfigError, got ${error}`,
      );
      assert.equal(error.field, field);
      for (const text of mentions) {
        assert.match(error.message, new RegExp(RegExp.escape(text)));
      }
      return true;
    },
  );
}

Deno.test("GptOssClient() applies the documented defaults", () => {
  const settings = new GptOssClient().settings;
  assert.deepEqual(settings, {
    baseUrl: "http://localhost:8000",
    maxContextSize: 8192,
    contextWindow: 8192,
    maxTokens: 2048,
    temperature: 0.7,
    timeout: { headers: 30000, idle: 30000 },
    maxRetries: 2,
    api: "chat",
    contextOverflow: "truncate",
    keepReasoning: false,
    keepFirstUserMessage: false,
    hasApiKey: false,
  });
  assert.equal(DEFAULT_CONFIG.maxContextSize, settings.maxContextSize);
});

Deno.test("GptOssClient() rejects a base URL that is not absolute http(s)", () => {
  rejects({ baseUrl: "localhost:8000" }, "baseUrl", [
    '"localhost:8000"',
    "http(s) URL",
  ]);
  rejects({ baseUrl: "ftp://example.com" }, "baseUrl", ["ftp://example.com"]);
  rejects({ baseUrl: "not a url" }, "baseUrl", ["not a url"]);
  rejects({ baseUrl: "http://h:1/v1?x=1" }, "baseUrl", ["without a query"]);
  rejects({ baseUrl: 8000 }, "baseUrl", ["8000"]);
});

Deno.test("GptOssClient() never shows a password from a rejected base URL", () => {
  assert.throws(
    () => new GptOssClient({ baseUrl: "ftp://user:hunter2@example.com" }),
    (error: unknown) =>
      error instanceof ConfigError && !error.message.includes("hunter2"),
  );
});

Deno.test("GptOssClient() rejects maxTokens that leaves no room for a prompt", () => {
  rejects({ maxTokens: 8192 }, "maxTokens", [
    "8192",
    "below maxContextSize (8192)",
  ]);
  rejects({ maxContextSize: 4096, maxTokens: 5000 }, "maxTokens", [
    "5000",
    "4096",
  ]);
  new GptOssClient({ maxContextSize: 4096, maxTokens: 4095 });
});

Deno.test("GptOssClient() rejects a temperature outside 0..2", () => {
  for (const bad of [-0.1, 2.01, Number.NaN, "1"]) {
    rejects({ temperature: bad }, "temperature", ["from 0 to 2"]);
  }
  new GptOssClient({ temperature: 0 });
  new GptOssClient({ temperature: 2 });
});

Deno.test("GptOssClient() rejects non-positive or fractional sizes and timeouts", () => {
  for (const bad of [0, -1, 1.5, Infinity, "8192"]) {
    rejects({ maxContextSize: bad }, "maxContextSize", [
      "whole number of at least 1",
    ]);
  }
  rejects({ maxTokens: 0 }, "maxTokens", ["at least 1"]);
  for (const bad of [0, -5, Infinity, "30s"]) {
    rejects({ timeout: bad }, "timeout", ["milliseconds above 0"]);
  }
});

Deno.test("GptOssClient() checks the other options' types", () => {
  rejects({ model: "" }, "model", ["non-empty string"]);
  rejects({ contextOverflow: "drop" }, "contextOverflow", [
    '"truncate" or "error"',
  ]);
  rejects({ logger: { info() {} } }, "logger", ["debug, info, warn and error"]);
  rejects({ fetch: "fetch" }, "fetch", ["fetch function"]);
  rejects({ tokenizer: {} }, "tokenizer", ["count(text)"]);
  rejects({ headers: { "x-ok": "a\r\nInjected: 1" } }, 'headers["x-ok"]', [
    "CR, LF",
  ]);
  rejects({ headers: { "bad name": "x" } }, "headers name", [
    "valid HTTP header name",
  ]);
  rejects({ apiKey: "" }, "apiKey", ["non-empty string"]);
});

Deno.test("GptOssClient() names an unknown option and suggests the right one", () => {
  rejects({ maxToken: 100 }, "config.maxToken", ["did you mean maxTokens?"]);
  rejects({ baseURL: "http://x" }, "config.baseURL", ["did you mean baseUrl?"]);
});

Deno.test("GptOssClient() checks per-call options before sending anything", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const messages = [{ role: "user" as const, content: "hi" }];
  const cases: [Record<string, unknown>, string][] = [
    [{ temperature: 3 }, "options.temperature"],
    [{ maxTokens: 9000 }, "maxTokens"],
    [{ topP: 1.5 }, "options.topP"],
    [{ seed: 1.5 }, "options.seed"],
    [{ stop: [1] }, "options.stop"],
    [{ timeout: 0 }, "options.timeout"],
    [{ signal: "now" }, "options.signal"],
    [{ tempreature: 1 }, "options.tempreature"],
  ];
  for (const [options, field] of cases) {
    await assert.rejects(
      client.generateResponse(messages, options),
      (e: unknown) => e instanceof ConfigError && e.field === field,
    );
    assert.throws(
      () => client.streamResponse(messages, options),
      (e: unknown) => e instanceof ConfigError && e.field === field,
    );
  }
  assert.equal(server.requests.length, 0);
});
