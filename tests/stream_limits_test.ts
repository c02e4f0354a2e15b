import assert from "node:assert/strict";
import { GptOssClient, InvalidResponseError } from "../mod.ts";
import { sseEvent, startMockServer } from "../testing/mod.ts";

const ask = [{ role: "user" as const, content: "hi" }];
const event = (content: string) =>
  sseEvent({
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });

Deno.test("maxResponseBytes bounds one stream event however it arrives: in one read, split, or after others", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxResponseBytes: 1000,
  });
  const body = event("Hello") + event("y".repeat(5000)) + "data: [DONE]\n\n";
  for (const writes of ["whole", "event", 7, [10, 900, 2000]] as const) {
    server.enqueue({ sse: body, writes: writes as never });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const d of client.streamResponse(ask)) {
        seen.push(d.content ?? "");
      }
    })().catch((e) => e);
    assert.ok(error instanceof InvalidResponseError, `${writes}: ${error}`);
    assert.match(error.message, /longer than 1000 characters/);
    assert.equal(seen.join(""), "Hello", `${writes}: what came before is kept`);
    assert.ok(error.body!.length <= 200);
  }
  // An event just under the limit is read.
  server.enqueue({ sse: event("z".repeat(900)) + "data: [DONE]\n\n" });
  const seen: string[] = [];
  for await (const d of client.streamResponse(ask)) seen.push(d.content ?? "");
  assert.equal(seen.join("").length, 900);
});
