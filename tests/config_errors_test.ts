import assert from "node:assert/strict";
import { ConfigError, GptOssClient } from "../mod.ts";
import { startMockServer } from "../testing/mod.ts";

Deno.test("a base URL with a bad % escape in its credentials is a ConfigError that shows neither", () => {
  for (
    const baseUrl of [
      "http://bob:pa%zz@host",
      "http://b%o:secretpw@host:8000/v1",
    ]
  ) {
    assert.throws(
      () => new GptOssClient({ baseUrl }),
      (error) =>
        error instanceof ConfigError && error.field === "baseUrl" &&
        /%25/.test(error.message) && !/secretpw|pa%zz/.test(error.message),
    );
  }
});

Deno.test("a base URL with a credential in its query is rejected without showing it", () => {
  assert.throws(
    () =>
      new GptOssClient({ baseUrl: "http://h:1/v1?api-key=SECRETVALUE&x=1" }),
    (error) =>
      error instanceof ConfigError && !error.message.includes("SECRETVALUE") &&
      error.message.includes("api-key=[redacted]") &&
      !String(error.value).includes("SECRETVALUE"),
  );
});

Deno.test("discover() on a vLLM that serves other models than the configured one gives no window rather than another model's", async () => {
  await using server = await startMockServer();
  const models = (ids: string[], lens: number[]) => ({
    json: {
      object: "list",
      data: ids.map((id, i) => ({
        id,
        object: "model",
        owned_by: "vllm",
        max_model_len: lens[i],
      })),
    },
  });
  server.enqueue(models(["a", "b"], [4096, 131072]), "/v1/models");
  const several = await new GptOssClient({ baseUrl: server.url, model: "c" })
    .discover();
  assert.equal(several.server, "vllm");
  assert.equal(several.contextLength, undefined);
  server.enqueue(models(["a"], [4096]), "/v1/models");
  const one = await new GptOssClient({ baseUrl: server.url, model: "c" })
    .discover();
  assert.equal(
    one.contextLength,
    undefined,
    "the one listed model is not the configured one",
  );
  server.enqueue(
    models(["a", "openai/gpt-oss-20b"], [4096, 8192]),
    "/v1/models",
  );
  const picked = await new GptOssClient({ baseUrl: server.url }).discover();
  assert.equal(picked.model, "openai/gpt-oss-20b");
  assert.equal(picked.contextLength, 8192);
});
