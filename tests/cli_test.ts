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
  // Without colour, labels tell the reasoning (stderr) from the answer (stdout).
  assert.equal(shown.stderr, "reasoning: Think first.\nanswer: ");
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
  // --stats under --json: in the JSON, with the window used.
  const withStats = await runDeno(
    [
      net,
      "cli.ts",
      "--url",
      server.url,
      "--model",
      "m",
      "--json",
      "--stats",
      "Hi",
    ],
  );
  assert.equal(withStats.code, 0, withStats.stderr);
  const parsed = JSON.parse(withStats.stdout);
  assert.equal(typeof parsed.stats.totalMs, "number");
  assert.equal(parsed.contextWindow, 8192);
  assert.equal(withStats.stderr, "");
  // A failure under --json is JSON too, on stdout, with the exit code.
  const down = await runDeno([
    net,
    "cli.ts",
    "--url",
    `http://127.0.0.1:${closedPort()}`,
    "--json",
    "Hi",
  ]);
  assert.equal(down.code, 1);
  const failure = JSON.parse(down.stdout).error;
  assert.equal(failure.name, "ConnectionError");
  assert.equal(failure.exitCode, 1);
  assert.match(failure.message, /^cannot reach http:\/\/127\.0\.0\.1:\d+/);
  assert.equal(down.stderr, "");
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

Deno.test("cli.ts says which flag lets it read the GPT_OSS_* variables when it could not", async () => {
  const url = `http://127.0.0.1:${closedPort()}`;
  const env = { GPT_OSS_BASE_URL: "http://127.0.0.1:1" };
  const without = await runDeno([net, "cli.ts", "--url", url, "Hi"], { env });
  assert.equal(without.code, 1);
  assert.match(
    without.stderr,
    /set --url or GPT_OSS_BASE_URL \(the GPT_OSS_\* variables are read only with --allow-env=GPT_OSS_BASE_URL,GPT_OSS_API_KEY,GPT_OSS_MODEL\)\n$/,
  );
  const granted = await runDeno(
    [net, "--allow-env", "cli.ts", "--url", url, "Hi"],
    { env },
  );
  assert.doesNotMatch(granted.stderr, /--allow-env/);
  // A key the server refuses, with the variable not readable.
  await using server = await startMockServer({ apiKey: "right" });
  const refused = await runDeno(
    [net, "cli.ts", "--url", server.url, "--model", "m", "Hi"],
    { env: { GPT_OSS_API_KEY: "right" } },
  );
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /401.*GPT_OSS_API_KEY is read only with --allow-env=/,
  );
});

Deno.test("cli.ts exits 2 with one line for a bad flag or value, 1 when the server fails", async () => {
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
    // One line, pointing at --help, not the whole usage.
    assert.match(
      run.stderr,
      /^error: [^\n]* \(see --help\)\n$/,
      args.join(" "),
    );
    assert.equal(run.stdout, "");
  }
  // In the command line's words, with the fix where it is plain.
  const said = async (...args: string[]) =>
    (await runDeno([net, "cli.ts", ...args, "x"])).stderr;
  assert.equal(
    await said("--temprature", "1"),
    "error: unknown flag --temprature; did you mean --temperature? (see --help)\n",
  );
  assert.match(
    await said("--context", "100"),
    /^error: Invalid --max-tokens: 2048\. Expected a number below --context \(100\)/,
  );
  assert.match(
    await said("--url", "localhost:8000"),
    /^error: Invalid --url: "localhost:8000"\..* Try --url http:\/\/localhost:8000 \(see --help\)\n$/,
  );
  assert.equal(
    await said("--json=1"),
    "error: --json takes no value (see --help)\n",
  );
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
  assert.match(
    down.stderr,
    new RegExp(
      `^error: cannot reach ${url} \\(.*Connection refused.*\\) — is the server running\\? set --url or GPT_OSS_BASE_URL( \\(the GPT_OSS_\\* variables are read only with --allow-env=[\\w,]+\\))?\n$`,
    ),
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
  assert.match(
    exact.stdout,
    /^\d+ tokens \(exact, counted by the gpt-oss tokenizer\)\n$/,
  );
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
    /^\d+ tokens \(estimated, counted by the built-in estimator\)\n$/,
  );
  assert.ok(
    Number(estimated.stdout.split(" ")[0]) >=
      Number(exact.stdout.split(" ")[0]),
    "the estimate errs on the safe side",
  );
});

/** Spawns the CLI, waits until stdout shows something, presses Ctrl-C, and collects the rest. */
async function interruptAfterFirstOutput(args: string[], stdin = "") {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...args],
    cwd: new URL("..", import.meta.url),
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const decoder = new TextDecoder();
  const reader = child.stdout.getReader();
  let stdout = "";
  let interrupted = false;
  const stderr = new Response(child.stderr).text();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    stdout += decoder.decode(value, { stream: true });
    if (!interrupted && stdout.length > 0) {
      interrupted = true;
      child.kill("SIGINT");
    }
  }
  const { code } = await child.status;
  return { code, stdout, stderr: await stderr };
}

Deno.test("cli.ts puts piped standard input before the question, as context", async () => {
  await using server = await startMockServer();
  const run = await runDeno([
    net,
    "cli.ts",
    "--url",
    server.url,
    "--model",
    "m",
    "Summarise this.",
  ], {
    stdin: "line one\nline two\n",
  });
  assert.equal(run.code, 0, run.stderr);
  const body = server.requests.at(-1)!.body as {
    messages: { content: string }[];
  };
  assert.equal(
    body.messages[0].content,
    "line one\nline two\n\nSummarise this.",
  );
});

Deno.test("cli.ts --stats prints tokens, context used and speed; --context auto takes the server's window", async () => {
  await using server = await startMockServer({ counting: "vllm" });
  const run = await runDeno([
    net,
    "cli.ts",
    "--url",
    server.url,
    "--stats",
    "--context",
    "auto",
    "Hi",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const line = run.stderr.trim();
  assert.equal(line.split("\n").length, 1, run.stderr);
  assert.match(
    line,
    /^prompt \d+ tokens · completion \d+ tokens · context \d+ of 131072 \(\d+%\) · discovery \d+\.\d\d s · first token \d+\.\d\d s · \d+\.\d tokens\/s$/,
  );
  const plain = await runDeno([
    net,
    "cli.ts",
    "--url",
    server.url,
    "--no-stream",
    "--stats",
    "Hi",
  ]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /mock server/);
  assert.match(plain.stderr, /context \d+ of 8192/);
});

Deno.test("cli.ts says which permission to add instead of failing or prompting", async () => {
  await using server = await startMockServer();
  const port = new URL(server.url).port;
  const run = await runDeno(["cli.ts", "--url", server.url, "Hi"]);
  assert.equal(run.code, 2);
  assert.equal(
    run.stderr,
    `error: no permission to reach 127.0.0.1:${port}: run with --allow-net=127.0.0.1:${port} (or --allow-net)\n`,
  );
  assert.equal(server.requests.length, 0);
  // Restricted to the server's host is enough.
  const restricted = await runDeno([
    `--allow-net=127.0.0.1:${port}`,
    "cli.ts",
    "--url",
    server.url,
    "Hi",
  ]);
  assert.equal(restricted.code, 0, restricted.stderr);
});

Deno.test("cli.ts: Ctrl-C during an answer exits 130 with what arrived on stdout", async () => {
  await using server = await startMockServer({ eventDelayMs: 40 });
  const run = await interruptAfterFirstOutput([
    net,
    "cli.ts",
    "--url",
    server.url,
    "--model",
    "m",
    "Hi",
  ]);
  assert.equal(run.code, 130, run.stderr);
  assert.ok(run.stdout.length > 0 && run.stdout.length < 100, run.stdout);
  assert.match(run.stderr, /error: interrupted\n$/);
});

Deno.test("cli.ts --chat keeps the history, runs the commands, and streams each answer", async () => {
  await using server = await startMockServer();
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const run = await runDeno(
      [
        net,
        `--allow-write=${file}`,
        "cli.ts",
        "--url",
        server.url,
        "--model",
        "m",
        "--chat",
      ],
      {
        stdin: [
          "First question",
          "/effort high",
          "/system Be terse.",
          "Second question",
          "/bogus",
          `/save ${file}`,
          "/reset",
          "Third question",
          "/exit",
          "never sent",
        ].join("\n"),
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const chats = server.requests.filter((r) =>
      r.path === "/v1/chat/completions"
    )
      .map((r) =>
        r.body as {
          messages: { role: string; content: string }[];
          reasoning_effort?: string;
        }
      );
    assert.equal(chats.length, 3);
    assert.deepEqual(chats[0].messages.map((m) => m.role), ["user"]);
    assert.deepEqual(chats[1].messages.map((m) => m.role), [
      "system",
      "user",
      "assistant",
      "user",
    ]);
    assert.equal(chats[1].messages[0].content, "Be terse.");
    assert.equal(chats[1].reasoning_effort, "high");
    assert.deepEqual(chats[2].messages.map((m) => [m.role, m.content]), [[
      "system",
      "Be terse.",
    ], ["user", "Third question"]]);
    // Each answer streamed to stdout, one per line.
    assert.equal(run.stdout.trim().split("\n").length, 3);
    assert.match(run.stdout, /You asked: "Second question"/);
    assert.match(run.stderr, /unknown command \/bogus/);
    const saved = JSON.parse(await Deno.readTextFile(file));
    assert.equal(saved.system, "Be terse.");
    assert.equal(saved.reasoningEffort, "high");
    assert.equal(saved.messages.length, 4);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("cli.ts --chat says when old turns were dropped to fit, and explains a failed save", async () => {
  await using server = await startMockServer();
  const questions = Array.from(
    { length: 6 },
    (_, i) => `Question ${i}: ${"please ".repeat(40)}`,
  );
  const run = await runDeno(
    [
      net,
      "cli.ts",
      "--url",
      server.url,
      "--model",
      "m",
      "--chat",
      "--context",
      "700",
      "--max-tokens",
      "200",
    ],
    { stdin: [...questions, "/save conversation.json"].join("\n") },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /note: dropped \d+ earlier messages? to fit the context window \(\d+ tokens for the prompt\); a bigger --context helps/,
  );
  assert.match(run.stderr, /saving needs --allow-write=conversation\.json/);
  // The history follows what the library dropped: a long chat stays bounded.
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const saving = await runDeno(
      [
        net,
        `--allow-write=${file}`,
        "cli.ts",
        "--url",
        server.url,
        "--model",
        "m",
        "--chat",
        "--context",
        "700",
        "--max-tokens",
        "200",
      ],
      { stdin: [...questions, `/save ${file}`].join("\n") },
    );
    assert.equal(saving.code, 0, saving.stderr);
    const saved = JSON.parse(await Deno.readTextFile(file)) as {
      messages: { role: string; content: string }[];
    };
    const asked = saved.messages.filter((m) => m.role === "user")
      .map((m) => m.content);
    assert.ok(asked.length < questions.length, `kept ${asked.length}`);
    assert.deepEqual(
      asked,
      questions.slice(-asked.length).map((q) => q.trim()),
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("cli.ts --chat: Ctrl-C stops the answer only, and the conversation goes on", async () => {
  await using server = await startMockServer({ eventDelayMs: 40 });
  const run = await interruptAfterFirstOutput(
    [net, "cli.ts", "--url", server.url, "--model", "m", "--chat"],
    "Long question\nNext question\n",
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\(answer stopped\)/);
  assert.match(run.stdout, /You asked: "Next question"/);
  const chats = server.requests.filter((r) =>
    r.path === "/v1/chat/completions"
  );
  assert.equal(chats.length, 2);
});

const hasScript = (() => {
  try {
    return Deno.statSync("/usr/bin/script").isFile;
  } catch {
    return false;
  }
})();

/** Runs the CLI with a terminal on stdin, stdout and stderr (util-linux `script`). */
async function runInTerminal(
  cliArgs: string[],
  env: Record<string, string> = {},
) {
  const command = [Deno.execPath(), "run", "--quiet", net, "cli.ts", ...cliArgs]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const { code, stdout } = await new Deno.Command("/usr/bin/script", {
    args: ["-qec", command, "/dev/null"],
    cwd: new URL("..", import.meta.url),
    env: {
      TERM: "xterm",
      ...Object.fromEntries(
        ["HOME", "PATH", "DENO_DIR"].flatMap((k) => {
          const v = Deno.env.get(k);
          return v === undefined ? [] : [[k, v]];
        }),
      ),
      ...env,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code, output: new TextDecoder().decode(stdout) };
}

Deno.test({
  name:
    "cli.ts on a terminal: a spinner until the first token and dimmed reasoning; plain with NO_COLOR",
  ignore: !hasScript,
  fn: async () => {
    await using server = await startMockServer({ eventDelayMs: 5 });
    server.enqueue({
      sse: chatCompletionStream({ reasoning: "Thinking.", content: "Done." }),
      stallMs: 300,
    });
    const fancy = await runInTerminal([
      "--url",
      server.url,
      "--model",
      "m",
      "--reasoning",
      "show",
      "Hi",
    ]);
    assert.equal(fancy.code, 0, fancy.output);
    assert.match(fancy.output, /⠋ waiting for m at http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(fancy.output.includes("\x1b[2mThinking."), "dimmed reasoning");
    assert.match(fancy.output, /Done\./);
    server.enqueue({
      sse: chatCompletionStream({ reasoning: "Thinking.", content: "Done." }),
      stallMs: 300,
    });
    const plain = await runInTerminal([
      "--url",
      server.url,
      "--model",
      "m",
      "--reasoning",
      "show",
      "Hi",
    ], {
      NO_COLOR: "1",
    });
    assert.equal(plain.code, 0, plain.output);
    assert.ok(!plain.output.includes("\x1b[") && !plain.output.includes("⠋"));
    // Without colour, labels tell them apart.
    assert.match(plain.output, /reasoning: Thinking\.\r?\nanswer: Done\./);
  },
});

Deno.test({
  name:
    "cli.ts on a terminal with the reasoning hidden: the spinner says the model is thinking, and for how long; a warning clears the spinner's line",
  ignore: !hasScript,
  fn: async () => {
    await using server = await startMockServer();
    server.enqueue({
      sse: chatCompletionStream({
        reasoning: "one two three four five six seven",
        content: "Done.",
      }),
      writes: "event",
      delayMs: 250,
    });
    const run = await runInTerminal([
      "--url",
      server.url,
      "--model",
      "m",
      "--context",
      "auto",
      "Hi",
    ]);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /thinking… 0 s/);
    assert.match(run.output, /thinking… 1 s/);
    assert.ok(
      !run.output.includes("\x1b[2mThinking"),
      "the reasoning is hidden",
    );
    assert.match(run.output, /Done\./);
    // --context auto on a server that tells no window: the warning is on a
    // line of its own, the spinner's cleared first.
    assert.match(
      run.output,
      new RegExp(
        '\r\x1b\\[2Kwarning: --context is "auto" but [^\n]* did not tell its context window; using 8192\\. Set --context to the window the model runs with\\.',
      ),
    );
  },
});

Deno.test("cli.ts says in one line when the server cut the prompt without a word, and how to fix it there (Ollama)", async () => {
  await using server = await startMockServer({
    models: ["gpt-oss:20b"],
    ollama: { contextLength: 4096 },
  });
  const notes = "Some notes. ".repeat(2500); // far over 4096 tokens
  const run = await runDeno(
    [
      net,
      "cli.ts",
      "--url",
      server.url,
      "--context",
      "32768",
      "What do the notes say?",
    ],
    { stdin: notes },
  );
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stderr.split("\n").filter((l) =>
    /prompt tokens sent/.test(l)
  );
  assert.equal(lines.length, 1, run.stderr);
  assert.match(
    lines[0],
    /^warning: The server read \d+ of the \d+ prompt tokens sent: .*OLLAMA_CONTEXT_LENGTH/,
  );
  assert.doesNotMatch(run.stderr, /\[gptoss\].*prompt tokens sent/);
  // --api ollama sends the window as Ollama's own: nothing is cut.
  const native = await runDeno(
    [
      net,
      "cli.ts",
      "--url",
      server.url,
      "--api",
      "ollama",
      "--context",
      "32768",
      "What do the notes say?",
    ],
    { stdin: notes },
  );
  assert.equal(native.code, 0, native.stderr);
  assert.doesNotMatch(native.stderr, /prompt tokens sent/);
  assert.equal(server.requests.at(-1)!.path, "/api/chat");
});

Deno.test("cli.ts says in one line when piped input was shortened to fit, every time", async () => {
  await using server = await startMockServer();
  const big = "All work and no play. ".repeat(3000);
  const run = await runDeno(
    [net, "cli.ts", "--url", server.url, "--model", "m", "Summarise this."],
    { stdin: big },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /^note: shortened the longest message \(\d+ characters of the middle left out\) to fit the context window \(6144 tokens for the prompt\); a bigger --context helps if the server allows it\n$/m,
  );
  const sent = server.requests.at(-1)!.body as {
    messages: { content: string }[];
  };
  assert.match(
    sent.messages.at(-1)!.content,
    /characters omitted to fit the context window/,
  );
  // And without it nothing is said.
  const small = await runDeno(
    [net, "cli.ts", "--url", server.url, "--model", "m", "Summarise this."],
    { stdin: "short" },
  );
  assert.doesNotMatch(small.stderr, /note:/);
});

Deno.test("cli.ts --chat: /bye, exit and quit leave without reaching the model; /effort alone shows the level", async () => {
  await using server = await startMockServer();
  for (const leave of ["/bye", "exit", "quit", "/quit"]) {
    const run = await runDeno(
      [net, "cli.ts", "--url", server.url, "--model", "m", "--chat"],
      { stdin: `/effort\n/effort high\n/effort\n${leave}\nnever sent\n` },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /reasoning effort as the server sets it \(medium\)/,
    );
    assert.match(
      run.stderr,
      /\(reasoning effort high; \/effort low, medium or high changes it\)/,
    );
  }
  assert.equal(
    server.requests.filter((r) => r.path === "/v1/chat/completions").length,
    0,
  );
});

Deno.test("cli.ts --mock serves the mock server until Ctrl-C, on the --port asked or a free one", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", net, "cli.ts", "--mock"],
    cwd: new URL("..", import.meta.url),
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  while (!printed.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    printed += value;
  }
  const url = printed.trim();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const ask = await runDeno([net, "cli.ts", "--url", url, "Hello"]);
  assert.equal(ask.code, 0, ask.stderr);
  assert.match(ask.stdout, /You asked: "Hello"/);
  child.kill("SIGINT");
  const status = await child.status;
  await reader.cancel();
  const stderr = new TextDecoder().decode(
    await new Response(child.stderr).arrayBuffer(),
  );
  assert.equal(status.code, 130);
  assert.match(
    stderr,
    /A mock GPT-OSS server answers at http:\/\/127\.0\.0\.1:\d+/,
  );
  const bad = await runDeno([net, "cli.ts", "--mock", "--port", "70000"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--port takes a port number/);
});

/**
 * Runs `cli.ts --chat` on a terminal and types into it: each string once
 * the prompt has been drawn for it (the prompts counted in the output).
 */
async function chatInTerminal(cliArgs: string[], typed: string[]) {
  const command = [
    Deno.execPath(),
    "run",
    "--quiet",
    net,
    "--allow-write",
    "cli.ts",
    "--chat",
    ...cliArgs,
  ]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const child = new Deno.Command("/usr/bin/script", {
    args: ["-qec", command, "/dev/null"],
    cwd: new URL("..", import.meta.url),
    env: {
      TERM: "xterm",
      ...Object.fromEntries(
        ["HOME", "PATH", "DENO_DIR"].flatMap((k) => {
          const v = Deno.env.get(k);
          return v === undefined ? [] : [[k, v]];
        }),
      ),
      NO_COLOR: "1",
    },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  const prompts = () => output.split("› ").length - 1;
  for (let i = 0; i < typed.length; i++) {
    while (prompts() <= i) {
      const { value, done } = await reader.read();
      if (done) break;
      output += value;
    }
    // Let the editor switch the terminal to raw mode after drawing.
    await new Promise((r) => setTimeout(r, 150));
    await writer.write(new TextEncoder().encode(typed[i]));
  }
  await writer.close();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    output += value;
  }
  const { code } = await child.status;
  await child.stderr.cancel();
  return { code, output };
}

Deno.test({
  name:
    "cli.ts --chat on a terminal edits the line: arrows, Home/End, history, Ctrl-A/E/W, several lines; no control sequence reaches the model",
  ignore: !hasScript,
  fn: async () => {
    await using server = await startMockServer();
    const file = await Deno.makeTempFile({ suffix: ".json" });
    try {
      const LEFT = "\x1b[D", UP = "\x1b[A", HOME = "\x1b[H", END = "\x1b[F";
      const run = await chatInTerminal(
        ["--url", server.url, "--model", "m"],
        [
          `helo${LEFT}${LEFT}l\r`, // "hello"
          `${UP}${HOME}oh ${END} there\r`, // "oh hello there", from the history
          `say this\x01please \x05 and that junk\x17\x17\r`, // "please say this and "
          `"""\r`, // a message of several lines
          "line one\r",
          'line two"""\r',
          `a\x1b[15~b\x1b[Zc\r`, // F5 and Shift-Tab dropped
          `/save ${file}\r`,
          "/bye\r",
        ],
      );
      assert.equal(run.code, 0, run.output);
      const asked = server.requests
        .filter((r) => r.path === "/v1/chat/completions")
        .map((r) => {
          const messages =
            (r.body as { messages: { role: string; content: string }[] })
              .messages;
          return messages.at(-1)!.content;
        });
      assert.deepEqual(asked, [
        "hello",
        "oh hello there",
        "please say this and",
        "line one\nline two",
        "abc",
      ]);
      const saved = await Deno.readTextFile(file);
      assert.ok(
        !saved.includes("\\u001b") && !saved.includes("\x1b"),
        "no escape code saved",
      );
      // Ctrl-C on an empty line leaves, as at a shell; on a typed one it drops it.
      const left = await chatInTerminal(["--url", server.url, "--model", "m"], [
        "typed, then dropped\x03",
        "\x03",
      ]);
      assert.equal(left.code, 130, left.output);
    } finally {
      await Deno.remove(file);
    }
  },
});

Deno.test("cli.ts --api responses speaks /v1/responses: the answer on stdout, the reasoning on stderr, --json the completion", async () => {
  await using server = await startMockServer();
  const responses = [net, "cli.ts", "--url", server.url, "--api", "responses"];
  const run = await runDeno([...responses, "--reasoning", "show", "Hi there"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /You asked: "Hi there"/);
  assert.match(run.stderr, /I am a mock server/);
  assert.equal(server.requests.at(-1)!.path, "/v1/responses");
  const json = await runDeno([...responses, "--json", "Hi there"]);
  assert.equal(json.code, 0, json.stderr);
  const completion = JSON.parse(json.stdout);
  assert.equal(completion.response.object, "response");
  assert.match(completion.choices[0].message.reasoning, /mock server/);
});
