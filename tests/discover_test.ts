import assert from "node:assert/strict";
import { ConnectionError, GptOssClient } from "../mod.ts";
import {
  chatCompletionStream,
  type MockReply,
  startMockServer,
} from "../testing/mod.ts";
import { closedPort, loadFixture, recordingLogger } from "./_helpers.ts";

async function serverWith(routes: Record<string, MockReply>) {
  const server = await startMockServer();
  for (const [path, reply] of Object.entries(routes)) {
    server.enqueue(reply, path);
  }
  return server;
}

/** The requests that found out the server (the Responses API probe apart: its own test). */
function identifying(server: { requests: { path: string }[] }): string[] {
  return server.requests.map((r) => r.path).filter((p) =>
    p !== "/v1/responses"
  );
}

Deno.test("discover() reads vLLM's max_model_len from /v1/models and its version from /version", async () => {
  await using server = await serverWith({
    "/v1/models": await loadFixture("discovery_vllm_models.json"),
    "/version": { json: { version: "0.32.0" } },
  });
  const info = await new GptOssClient({ baseUrl: server.url }).discover();
  assert.equal(info.server, "vllm");
  assert.equal(info.model, "openai/gpt-oss-120b");
  assert.equal(info.contextLength, 65536);
  assert.equal(info.version, "0.32.0");
  assert.deepEqual(identifying(server), [
    "/v1/models",
    "/version",
  ]);
  // A vLLM without /version is still vLLM.
  await using older = await serverWith({
    "/v1/models": await loadFixture("discovery_vllm_models.json"),
  });
  const found = await new GptOssClient({ baseUrl: older.url }).discover();
  assert.equal(found.server, "vllm");
  assert.equal(found.version, undefined);
});

Deno.test("discover() reads llama.cpp's slot window from /props", async () => {
  await using server = await serverWith({
    "/v1/models": await loadFixture("discovery_llamacpp_models.json"),
    "/props": await loadFixture("discovery_llamacpp_props.json"),
  });
  const info = await new GptOssClient({ baseUrl: server.url }).discover();
  assert.equal(info.server, "llamacpp");
  assert.equal(info.model, "../models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf");
  assert.equal(info.contextLength, 1024);
});

Deno.test("discover() reads Ollama's loaded window from /api/ps and the maximum from /api/show", async () => {
  const ps = await loadFixture("discovery_ollama_ps.json");
  await using server = await serverWith({
    "/v1/models": {
      json: {
        object: "list",
        data: [{ id: "qwen2.5:0.5b", object: "model", owned_by: "library" }],
      },
    },
    "/api/ps": ps,
    "/api/show": await loadFixture("discovery_ollama_show.json"),
  });
  const info = await new GptOssClient({ baseUrl: server.url }).discover();
  assert.equal(info.server, "ollama");
  assert.equal(info.contextLength, 2048);
  assert.equal(info.maxContextLength, 131072);
  const show = server.requests.find((r) => r.path === "/api/show")!;
  assert.deepEqual(show.body, { model: "qwen2.5:0.5b" });
});

Deno.test("discover() reads LM Studio's /api/v0/models", async () => {
  await using server = await serverWith({
    "/v1/models": {
      json: {
        object: "list",
        data: [{
          id: "meta-llama-3.1-8b-instruct",
          object: "model",
          owned_by: "organization_owner",
        }],
      },
    },
    "/api/v0/models": await loadFixture("discovery_lmstudio_models.json"),
  });
  const info = await new GptOssClient({ baseUrl: server.url }).discover();
  assert.equal(info.server, "lmstudio");
  assert.equal(info.maxContextLength, 131072);
  assert.equal(
    info.contextLength,
    undefined,
    "the model is not loaded: its window is not known yet",
  );
});

Deno.test("discover() calls a server that answers none of the probes unknown, not an error", async () => {
  await using server = await startMockServer({ models: ["my-model"] });
  const info = await new GptOssClient({ baseUrl: server.url }).discover();
  assert.deepEqual(info, {
    server: "unknown",
    models: info.models,
    model: "my-model",
    responsesApi: true,
  });
  assert.deepEqual(info.models.map((m) => m.id), ["my-model"]);
});

Deno.test("discover() throws only when nothing answers, and is cached once it succeeds", async () => {
  const down = new GptOssClient({
    baseUrl: `http://127.0.0.1:${closedPort()}`,
  });
  await assert.rejects(down.discover(), ConnectionError);
  await using server = await serverWith({
    "/v1/models": await loadFixture("discovery_vllm_models.json"),
  });
  const client = new GptOssClient({ baseUrl: server.url });
  await client.discover();
  await client.discover();
  assert.equal(
    server.requests.length,
    3,
    "/v1/models, /version and the /v1/responses probe, once",
  );
  assert.equal(client.settings.server, "vllm");
});

Deno.test('maxContextSize: "auto" uses the discovered window, and 8192 with a warning when there is none', async () => {
  {
    await using server = await serverWith({
      "/v1/models": await loadFixture("discovery_llamacpp_models.json"),
      "/props": await loadFixture("discovery_llamacpp_props.json"),
    });
    const client = new GptOssClient({
      baseUrl: server.url,
      maxContextSize: "auto",
      maxTokens: 200,
    });
    assert.equal(client.settings.contextWindow, undefined, "not known yet");
    // 1024 tokens of window, 200 for the answer: a long history is trimmed to ~824.
    const history = Array.from({ length: 40 }, (_, i) => ({
      role: (i % 2 ? "assistant" : "user") as "user" | "assistant",
      content: `message ${i} `.repeat(20),
    }));
    const completion = await client.generateResponse(history);
    assert.ok(
      completion.truncation,
      "the history was trimmed to the server's window",
    );
    assert.equal(completion.truncation.budget, 824);
    assert.equal(client.settings.maxContextSize, "auto");
    assert.equal(client.settings.contextWindow, 1024, "the window in use");
    const stream = client.streamResponse(history);
    await stream.completion();
    assert.equal(stream.truncation?.budget, 824);
  }
  {
    await using server = await startMockServer();
    const logger = recordingLogger();
    const client = new GptOssClient({
      baseUrl: server.url,
      maxContextSize: "auto",
      logger,
    });
    server.enqueue({ sse: chatCompletionStream({ content: "ok" }) });
    await client.streamResponse([{ role: "user", content: "hi" }]).completion();
    await client.generateResponse([{ role: "user", content: "hi" }]);
    const warnings = logger.lines.filter((l) => l.level === "warn");
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0].message,
      /did not tell its context window; using 8192/,
    );
  }
});

Deno.test('maxContextSize: "auto" rejects maxTokens that leave no room in the server\'s window', async () => {
  await using server = await serverWith({
    "/v1/models": await loadFixture("discovery_vllm_models.json"),
  });
  const client = new GptOssClient({
    baseUrl: server.url,
    maxContextSize: "auto",
    maxTokens: 70000,
  });
  await assert.rejects(
    client.generateResponse([{ role: "user", content: "hi" }]),
    /maxTokens: 70000.*below maxContextSize \(65536\)/,
  );
});

Deno.test("discover() honours maxRetries: a busy probe is tried again, or not with 0", async () => {
  const busy: MockReply = {
    status: 503,
    json: { error: { message: "loading the model", type: "server_error" } },
    headers: { "retry-after-ms": "10" },
  };
  const vllm = await loadFixture("discovery_vllm_models.json");
  {
    await using server = await serverWith({ "/v1/models": busy });
    server.enqueue(vllm, "/v1/models");
    const info = await new GptOssClient({ baseUrl: server.url }).discover({
      maxRetries: 1,
    });
    assert.equal(info.server, "vllm");
    assert.equal(info.contextLength, 65536);
    assert.deepEqual(identifying(server), [
      "/v1/models",
      "/v1/models",
      "/version",
    ]);
  }
  {
    await using server = await serverWith({ "/v1/models": busy });
    server.enqueue(vllm, "/v1/models");
    const info = await new GptOssClient({ baseUrl: server.url, maxRetries: 0 })
      .discover();
    assert.notEqual(info.server, "vllm", "the busy answer was not tried again");
    assert.equal(
      server.requests.filter((r) => r.path === "/v1/models").length,
      1,
    );
  }
});

Deno.test("discover() asks each server's route in the order the model list suggests, and stops at the first that answers", async () => {
  // Ollama's model list says "library": /api/ps first, then /api/show.
  {
    await using server = await startMockServer({
      models: ["gpt-oss:20b"],
      ollama: { contextLength: 8192 },
    });
    const info = await new GptOssClient({ baseUrl: server.url }).discover();
    assert.equal(info.server, "ollama");
    assert.equal(info.contextLength, 8192);
    assert.deepEqual(identifying(server), [
      "/v1/models",
      "/api/ps",
      "/api/show",
    ]);
  }
  // LM Studio's says "organization_owner": its own route only.
  {
    await using server = await serverWith({
      "/v1/models": {
        json: {
          object: "list",
          data: [{
            id: "openai/gpt-oss-20b",
            object: "model",
            owned_by: "organization_owner",
          }],
        },
      },
      "/api/v0/models": await loadFixture("discovery_lmstudio_models.json"),
    });
    const info = await new GptOssClient({ baseUrl: server.url }).discover();
    assert.equal(info.server, "lmstudio");
    assert.deepEqual(identifying(server), [
      "/v1/models",
      "/api/v0/models",
    ]);
  }
  // A list that names no server: each route once, in turn, then "unknown".
  {
    await using server = await startMockServer();
    const info = await new GptOssClient({ baseUrl: server.url }).discover();
    assert.equal(info.server, "unknown");
    assert.deepEqual(identifying(server), [
      "/v1/models",
      "/props",
      "/api/ps",
      "/api/v0/models",
    ]);
  }
});
