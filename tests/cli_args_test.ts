import assert from "node:assert/strict";
import { parseCommandLine, UsageError } from "../cli/args.ts";

Deno.test("parseCommandLine() reads every flag and joins the question", () => {
  const options = parseCommandLine([
    "--url",
    "http://h:1",
    "--model",
    "gpt-oss-20b",
    "--system",
    "Be brief.",
    "--temperature",
    "0.2",
    "--max-tokens",
    "100",
    "--context",
    "auto",
    "--effort",
    "high",
    "--reasoning",
    "show",
    "--timeout",
    "5000",
    "--no-stream",
    "--stats",
    "why",
    "is",
    "the",
    "sky",
    "blue?",
  ]);
  assert.deepEqual(options, {
    url: "http://h:1",
    model: "gpt-oss-20b",
    system: "Be brief.",
    temperature: 0.2,
    maxTokens: 100,
    context: "auto",
    effort: "high",
    timeout: 5000,
    showReasoning: true,
    json: false,
    noStream: true,
    stats: true,
    chat: false,
    exact: false,
    count: false,
    mock: false,
    help: false,
    version: false,
    question: "why is the sky blue?",
  });
  assert.equal(parseCommandLine(["--context", "4096"]).context, 4096);
});

Deno.test("parseCommandLine() names the wrong flag or value", () => {
  const fails = (args: string[], pattern: RegExp) =>
    assert.throws(
      () => parseCommandLine(args),
      (e: unknown) => e instanceof UsageError && pattern.test(e.message),
    );
  fails(["--bogus"], /bogus/);
  fails(["--temperature", "hot"], /--temperature takes a number, not "hot"/);
  fails(["--context", "big"], /--context takes a number/);
  fails(["--effort", "max"], /--effort must be low, medium, high, not "max"/);
  fails(["--reasoning", "loud"], /--reasoning must be show, hide/);
  fails(["--chat", "--json"], /--chat cannot be combined/);
  fails(["--url"], /--url/);
});
