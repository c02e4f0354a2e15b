import assert from "node:assert/strict";
import {
  chatCompletionBody,
  chatCompletionStream,
  startMockServer,
} from "../testing/mod.ts";
import { closedPort } from "./_helpers.ts";
import { runDeno } from "./_run.ts";

Deno.test("examples/basic.ts prints the reasoning and the answer from the server", async () => {
  await using server = await startMockServer();
  server.enqueue({
    json: chatCompletionBody({
      reasoning: "Define it briefly.",
      content: "The tokens a model can see at once.",
      usage: { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 },
    }),
  });
  const run = await runDeno([
    "--allow-net=127.0.0.1",
    "--allow-env",
    "examples/basic.ts",
  ], {
    env: { GPT_OSS_BASE_URL: server.url },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    "Reasoning: Define it briefly.\nAnswer: The tokens a model can see at once.\nTokens: 42\n",
  );
  const chat = server.requests.find((r) => r.path === "/v1/chat/completions")!;
  assert.deepEqual((chat.body as { messages: unknown[] }).messages.length, 2);
});

Deno.test("examples/basic.ts says what to do when no server answers", async () => {
  const url = `http://127.0.0.1:${closedPort()}`;
  const run = await runDeno([
    "--allow-net=127.0.0.1",
    "--allow-env",
    "examples/basic.ts",
  ], {
    env: { GPT_OSS_BASE_URL: url },
  });
  assert.equal(run.code, 1);
  assert.ok(
    run.stderr.includes(`No server answers at ${url} - set GPT_OSS_BASE_URL`),
    run.stderr,
  );
});

Deno.test("examples/streaming.ts streams the reasoning to stderr and the answer to stdout", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream({
      reasoning: "Rayleigh scattering.",
      content: "Short waves scatter more.",
    }),
    writes: "event",
  });
  const run = await runDeno([
    "--allow-net=127.0.0.1",
    "--allow-env",
    "examples/streaming.ts",
    "Why",
    "blue?",
  ], {
    env: { GPT_OSS_BASE_URL: server.url, GPT_OSS_MODEL: "gpt-oss-20b" },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "Rayleigh scattering.");
  assert.match(
    run.stdout,
    /^Short waves scatter more\.\n\[finish: stop, tokens: \d+\]\n$/,
  );
  assert.equal(
    (server.requests[0].body as { messages: { content: string }[] }).messages[0]
      .content,
    "Why blue?",
  );
});

Deno.test("examples/demo.ts falls back to the mock server and streams a whole answer", async () => {
  const run = await runDeno([
    "--allow-net=127.0.0.1,localhost",
    "--allow-env",
    "examples/demo.ts",
    "Hello demo",
  ], {
    env: { GPT_OSS_BASE_URL: `http://127.0.0.1:${closedPort()}` },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /using the built-in mock server/);
  assert.match(run.stderr, /The user asks: "Hello demo"/);
  assert.match(
    run.stdout,
    /^You asked: "Hello demo"\. This answer comes from the built-in mock server/,
  );
});
