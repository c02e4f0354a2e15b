import assert from "node:assert/strict";
import { GptOssClient, GptOssError } from "../mod.ts";
import { chatCompletionStream, startMockServer } from "../testing/mod.ts";
import { closedPort, recordingLogger } from "./_helpers.ts";

const KEY = "sk-live-0123456789abcdef";
const ask = [{ role: "user" as const, content: "hi" }];

function assertHidden(text: string, where: string) {
  assert.ok(!text.includes(KEY), `${where} shows the API key: ${text}`);
  assert.ok(!text.includes("hunter2"), `${where} shows the password: ${text}`);
}

function everythingShown(error: unknown): string {
  return [
    String(error),
    (error as Error).message,
    (error as Error).stack ?? "",
    JSON.stringify(error),
    Deno.inspect(error, { depth: 10 }),
  ].join("\n");
}

Deno.test("the API key never appears in logs, errors or the client's own description", async () => {
  await using server = await startMockServer({ apiKey: KEY });
  const logger = recordingLogger();
  const client = new GptOssClient({ baseUrl: server.url, apiKey: KEY, logger });
  // A working request, streamed and not, with debug logging on.
  await client.generateResponse(ask);
  server.enqueue({ sse: chatCompletionStream({ content: "x" }) });
  await client.streamResponse(ask).completion();
  assert.equal(server.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`);
  // A server that echoes the key back in its error.
  server.enqueue({
    status: 401,
    json: { error: { message: `Invalid API key: ${KEY}` } },
  });
  const failure = await client.generateResponse(ask).catch((e) => e);
  assert.ok(failure instanceof GptOssError);
  assert.match(failure.message, /Invalid API key: \[redacted\]/);
  assertHidden(everythingShown(failure), "an API error");
  // A busy server that echoes it, retried: the retry's log line hides it too.
  server.enqueue({
    status: 503,
    headers: { "retry-after": "0" },
    json: { error: { message: `Overloaded, key ${KEY}` } },
  });
  await client.generateResponse(ask);
  const retried = logger.lines.find((l) => l.message.startsWith("Retrying"));
  assert.ok(retried, "the retry was logged");
  assert.match(retried.message, /Overloaded, key \[redacted\]/);
  // A connection failure.
  const down = new GptOssClient({
    baseUrl: `http://127.0.0.1:${closedPort()}`,
    apiKey: KEY,
    logger,
  });
  assert.equal(await down.testConnection(), false);
  const refused = await down.generateResponse(ask, { model: "m" }).catch((e) =>
    e
  );
  assertHidden(everythingShown(refused), "a connection error");
  // The client itself.
  assertHidden(
    Deno.inspect(client, { depth: 10, showHidden: true }),
    "Deno.inspect(client)",
  );
  assertHidden(JSON.stringify(client), "JSON.stringify(client)");
  assertHidden(String(client), "String(client)");
  assert.equal(client.settings.hasApiKey, true);
  assert.ok(logger.lines.length >= 6);
  assertHidden(logger.text(), "the log");
});

Deno.test("credentials in the base URL and credential headers are hidden too", async () => {
  await using server = await startMockServer();
  const logger = recordingLogger();
  const baseUrl = server.url.replace("http://", "http://admin:hunter2@");
  const client = new GptOssClient({
    baseUrl,
    logger,
    headers: { "x-api-key": KEY },
  });
  server.enqueue({
    status: 400,
    text: `bad header x-api-key=${KEY} for admin:hunter2`,
    headers: { "content-type": "text/plain" },
  });
  const failure = await client.generateResponse(ask, { model: "m" }).catch((
    e,
  ) => e);
  assertHidden(everythingShown(failure), "an error");
  assertHidden(Deno.inspect(client), "Deno.inspect(client)");
  assertHidden(logger.text(), "the log");
  assert.equal(server.requests[0].headers["x-api-key"], KEY);
});

Deno.test("an API key sent over plain HTTP to another host is warned about once", () => {
  const logger = recordingLogger();
  new GptOssClient({
    baseUrl: "http://gpu-box.internal:8000",
    apiKey: KEY,
    logger,
  });
  new GptOssClient({ baseUrl: "http://127.0.0.1:8000", apiKey: KEY, logger });
  new GptOssClient({
    baseUrl: "https://gpu-box.internal",
    apiKey: KEY,
    logger,
  });
  const warnings = logger.lines.filter((l) => l.level === "warn");
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0].message,
    /plain HTTP to http:\/\/gpu-box\.internal:8000/,
  );
});

Deno.test("secrets echoed inside a stream or a malformed 200 answer are hidden too", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    apiKey: KEY,
    model: "m",
  });
  server.enqueue({
    sse:
      `data: {"error":{"message":"key ${KEY} is over quota","type":"rate_limit"}}\n\n`,
  });
  const inStream = await client.streamResponse(ask).completion().catch((e) =>
    e
  );
  assert.match(inStream.message, /key \[redacted\] is over quota/);
  assertHidden(everythingShown(inStream), "an error event");
  server.enqueue({ sse: `data: not json ${KEY}\n\n` });
  const badEvent = await client.streamResponse(ask).completion().catch((e) =>
    e
  );
  assertHidden(everythingShown(badEvent), "a malformed event");
  server.enqueue({
    text: `<html>${KEY}</html>`,
    headers: { "content-type": "text/html" },
  });
  const page = await client.generateResponse(ask).catch((e) => e);
  assert.ok(page instanceof GptOssError);
  assertHidden(everythingShown(page), "a 200 HTML page");
});
