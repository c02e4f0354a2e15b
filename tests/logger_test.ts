import assert from "node:assert/strict";
import {
  ConfigError,
  createConsoleLogger,
  GptOssClient,
  silentLogger,
} from "../mod.ts";
import { startMockServer } from "../testing/mod.ts";
import { recordingLogger } from "./_helpers.ts";

function capture(fn: () => void): string[] {
  const printed: string[] = [];
  const saved = {
    debug: console.debug,
    info: console.info,
    warn: console.warn,
    error: console.error,
  };
  for (const level of ["debug", "info", "warn", "error"] as const) {
    console[level] = (...args: unknown[]) =>
      printed.push(
        `${level}: ${
          args.map((a) => typeof a === "string" ? a : JSON.stringify(a)).join(
            " ",
          )
        }`,
      );
  }
  try {
    fn();
  } finally {
    Object.assign(console, saved);
  }
  return printed;
}

Deno.test("createConsoleLogger() prints its level and above, prefixed", () => {
  const printed = capture(() => {
    const logger = createConsoleLogger("info");
    logger.debug("hidden");
    logger.info("shown", { n: 1 });
    logger.warn("careful");
    logger.error("broken");
  });
  assert.deepEqual(printed, [
    'info: [gptoss] shown {"n":1}',
    "warn: [gptoss] careful",
    "error: [gptoss] broken",
  ]);
  assert.deepEqual(
    capture(() => createConsoleLogger().info("quiet by default")),
    [],
  );
  assert.deepEqual(
    capture(() => createConsoleLogger("silent").error("nothing")),
    [],
  );
  assert.throws(
    () => createConsoleLogger("loud" as "info"),
    (error) =>
      error instanceof ConfigError && error.field === "level" &&
      /Invalid level: "loud"\. Expected "debug", "info", "warn", "error" or "silent"/
        .test(error.message),
  );
  assert.deepEqual(capture(() => silentLogger.error("dropped")), []);
});

Deno.test("the client logs each request at debug with method, URL, status and time", async () => {
  await using server = await startMockServer();
  const logger = recordingLogger();
  const client = new GptOssClient({ baseUrl: server.url, logger });
  await client.generateResponse([{ role: "user", content: "hi" }]);
  const debug = logger.lines.filter((l) => l.level === "debug").map((l) =>
    l.message
  );
  assert.match(
    debug[0],
    new RegExp(`^GET ${server.url}/v1/models → 200 in \\d+ ms$`),
  );
  assert.match(
    debug[1],
    new RegExp(`^POST ${server.url}/v1/chat/completions → 200 in \\d+ ms$`),
  );
  const info = logger.lines.filter((l) => l.level === "info").map((l) =>
    l.message
  );
  assert.deepEqual(info, [
    `Using model "openai/gpt-oss-20b", the one ${server.url} serves.`,
  ]);
});
