import assert from "node:assert/strict";
import { GptOssClient } from "../mod.ts";
import { parseBaseUrl } from "../src/http/base_url.ts";
import { startMockServer } from "../testing/mod.ts";
import { recordingLogger } from "./_helpers.ts";

Deno.test("parseBaseUrl() drops a trailing /v1 and trailing slashes, and keeps a path prefix", () => {
  for (
    const url of [
      "http://h:8000",
      "http://h:8000/",
      "http://h:8000/v1",
      "http://h:8000/v1/",
    ]
  ) {
    assert.equal(parseBaseUrl(url).root, "http://h:8000", url);
  }
  assert.equal(
    parseBaseUrl("https://proxy.example/llm/v1").root,
    "https://proxy.example/llm",
  );
});

Deno.test("parseBaseUrl() moves credentials out of the URL", () => {
  const address = parseBaseUrl("http://me:s%40cret@h:1/v1");
  assert.equal(address.root, "http://h:1");
  assert.equal(address.username, "me");
  assert.equal(address.password, "s@cret");
});

Deno.test("GptOssClient() reaches /v1/chat/completions whichever way the base URL is written", async () => {
  await using server = await startMockServer();
  for (const suffix of ["", "/", "/v1", "/v1/"]) {
    const client = new GptOssClient({
      baseUrl: server.url + suffix,
      model: "m",
    });
    await client.generateResponse([{ role: "user", content: "hi" }]);
  }
  assert.deepEqual(
    server.requests.map((r) => r.path),
    Array(4).fill("/v1/chat/completions"),
  );
});

Deno.test("GptOssClient() sends URL credentials as Basic auth, not in the URL", async () => {
  await using server = await startMockServer();
  const withCredentials = server.url.replace("http://", "http://me:secret@");
  await new GptOssClient({ baseUrl: withCredentials, model: "m" })
    .generateResponse([
      { role: "user", content: "hi" },
    ]);
  assert.equal(
    server.requests[0].headers.authorization,
    `Basic ${btoa("me:secret")}`,
  );
});

Deno.test("a base URL pasted with an endpoint's path is the server's address, with a note", async () => {
  for (
    const [pasted, root] of [
      ["http://localhost:8000/v1/chat/completions", "http://localhost:8000"],
      ["http://localhost:8000/v1/chat/completions/", "http://localhost:8000"],
      ["http://h:1234/v1/models", "http://h:1234"],
      ["http://h:11434/api/chat", "http://h:11434"],
      ["https://proxy.example/gpt/v1/responses", "https://proxy.example/gpt"],
    ]
  ) {
    const logger = recordingLogger();
    const client = new GptOssClient({ baseUrl: pasted, logger });
    assert.equal(client.settings.baseUrl, root, pasted);
    assert.match(
      logger.text(),
      /baseUrl ends in \/[\w/]+, an endpoint: using /,
    );
  }
  const logger = recordingLogger();
  new GptOssClient({ baseUrl: "http://localhost:8000/v1", logger });
  assert.equal(logger.lines.length, 0, "a plain /v1 says nothing");
  // The request goes where it should.
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: `${server.url}/v1/chat/completions`,
    model: "m",
    logger: recordingLogger(),
  });
  await client.generateResponse([{ role: "user", content: "Hi" }]);
  assert.equal(server.requests.at(-1)!.path, "/v1/chat/completions");
});
