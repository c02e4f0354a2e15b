import assert from "node:assert/strict";
import {
  chatCompletionBody,
  chatCompletionStream,
  startMockServer,
} from "../testing/mod.ts";
import { VERSION } from "../src/version.ts";
import { closedPort } from "./_helpers.ts";
import { runDeno } from "./_run.ts";

const net = "--allow-net=127.0.0.1";

Deno.test("cli.ts streams the answer to stdout and, when asked, the reasoning to stderr", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream({
      reasoning: "Think first.",
      content: "Answer second.",
    }),
    writes: "event",
  });
  server.enqueue({
    sse: chatCompletionStream({
      reasoning: "Think first.",
      content: "Answer second.",
    }),
    writes: "event",
  });
  const hidden = await runDeno([
    net,
    "cli.ts",
    "--url",
    server.url,
    "--model",
    "m",
    "Hi",
  ]);
  assert.equal(hidden.code, 0, hidden.stderr);
  assert.equal(hidden.stdout, "Answer second.\n");
  assert.equal(hidden.stderr, "");
  const shown = await runDeno([
    net,
    "cli.ts",
    "--url",
    server.url,
    "--model",
    "m",
    "--reasoning",
    "show",
    "Hi",
  ]);
  assert.equal(shown.stdout, "Answer second.\n");
  assert.equal(shown.stderr, "Think first.\n");
});

Deno.test("cli.ts sends the flags as the request's fields", async () => {
  await using server = await startMockServer();
  const run = await runDeno([
    net,
    "cli.ts",
    "--url",
    `${server.url}/v1`,
    "--model",
    "gpt-oss-120b",
    "--system",
    "Be brief.",
    "--temperature",
    "0.1",
    "--max-tokens",
    "300",
    "--context",
    "4096",
    "--effort",
    "high",
    "--no-stream",
    "What",
    "now?",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const body = server.requests[0].body as Record<string, unknown>;
  assert.deepEqual(body.messages, [{ role: "system", content: "Be brief." }, {
    role: "user",
    content: "What now?",
  }]);
  assert.equal(body.model, "gpt-oss-120b");
  assert.equal(body.temperature, 0.1);
  assert.equal(body.max_tokens, 300);
  assert.equal(body.stream, false);
  assert.equal(body.reasoning_effort, "high");
});

Deno.test("cli.ts reads the prompt from standard input, and prints JSON with --json", async () => {
  await using server = await startMockServer();
  server.enqueue({
    json: chatCompletionBody({ reasoning: "r", content: "4" }),
  });
  const run = await runDeno([
    net,
    "cli.ts",
    "--url",
    server.url,
    "--model",
    "m",
    "--json",
  ], { stdin: "What is 2+2?\n" });
  assert.equal(run.code, 0, run.stderr);
  const completion = JSON.parse(run.stdout);
  assert.equal(completion.choices[0].message.content, "4");
  assert.equal(completion.choices[0].message.reasoning, "r");
  assert.equal(
    (server.requests[0].body as { messages: { content: string }[] }).messages[0]
      .content,
    "What is 2+2?\n",
  );
});

Deno.test("cli.ts takes the server and model from the environment when --allow-env is given", async () => {
  await using server = await startMockServer();
  const run = await runDeno(
    [net, "--allow-env", "cli.ts", "--no-stream", "Hi"],
    {
      env: {
        GPT_OSS_BASE_URL: server.url,
        GPT_OSS_MODEL: "from-env",
        GPT_OSS_API_KEY: "k-123",
      },
    },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    (server.requests[0].body as { model: string }).model,
    "from-env",
  );
  assert.equal(server.requests[0].headers.authorization, "Bearer k-123");
});

Deno.test("cli.ts exits 2 with the usage for a bad flag or value, 1 when the server fails", async () => {
  for (
    const args of [
      ["--bogus", "x"],
      ["--temperature", "hot", "x"],
      ["--reasoning", "loud", "x"],
      ["--effort", "max", "x"],
      ["--temperature", "9", "x"],
      [],
    ]
  ) {
    const run = await runDeno([net, "cli.ts", ...args]);
    assert.equal(run.code, 2, args.join(" "));
    assert.match(run.stderr, /^error: .*\n\nUsage: gpt-oss/s, args.join(" "));
    assert.equal(run.stdout, "");
  }
  const url = `http://127.0.0.1:${closedPort()}`;
  const down = await runDeno([
    net,
    "cli.ts",
    "--url",
    url,
    "--model",
    "m",
    "Hi",
  ]);
  assert.equal(down.code, 1);
  assert.ok(
    down.stderr.startsWith(`error: Cannot reach ${url}/v1/chat/completions (`),
    down.stderr,
  );
  assert.match(
    down.stderr,
    /Connection refused.*Is a server running there\? Set baseUrl/,
  );
  assert.equal(down.stderr.trim().split("\n").length, 1);
});

Deno.test("cli.ts --version matches deno.json and --help prints the usage", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
  );
  assert.equal(VERSION, config.version);
  const version = await runDeno(["cli.ts", "--version"]);
  assert.equal(version.stdout, `gpt-oss ${VERSION}\n`);
  const help = await runDeno(["cli.ts", "--help"]);
  assert.match(help.stdout, /^Usage: gpt-oss/);
});

Deno.test("cli.ts --count prints the prompt's tokens, from the server when it can count", async () => {
  await using server = await startMockServer({ counting: "vllm" });
  const counted = await runDeno([
    net,
    "cli.ts",
    "--url",
    server.url,
    "--count",
    "--json",
    "What is 2 + 2?",
  ]);
  assert.equal(counted.code, 0, counted.stderr);
  const count = JSON.parse(counted.stdout);
  assert.equal(count.source, "vllm");
  assert.equal(count.exact, true);
  assert.ok(count.promptTokens > 60);
  assert.ok(server.requests.some((r) => r.path === "/tokenize"));
  assert.ok(
    !server.requests.some((r) => r.path === "/v1/chat/completions"),
    "nothing was sent to the model",
  );

  await using plain = await startMockServer();
  const exact = await runDeno([
    net,
    "cli.ts",
    "--url",
    plain.url,
    "--count",
    "--exact",
    "What is 2 + 2?",
  ]);
  assert.equal(exact.code, 0, exact.stderr);
  assert.match(exact.stdout, /^\d+ tokens \(exact, counted by tokenizer\)\n$/);
  const estimated = await runDeno([
    net,
    "cli.ts",
    "--url",
    plain.url,
    "--count",
    "What is 2 + 2?",
  ]);
  assert.match(
    estimated.stdout,
    /^\d+ tokens \(estimated, counted by estimate\)\n$/,
  );
  assert.ok(
    Number(estimated.stdout.split(" ")[0]) >=
      Number(exact.stdout.split(" ")[0]),
    "the estimate errs on the safe side",
  );
});
