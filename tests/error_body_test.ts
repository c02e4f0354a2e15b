import assert from "node:assert/strict";
import { ApiError, ContextSizeError, GptOssClient } from "../mod.ts";
import { errorFromBody, readServerError } from "../src/http/error_body.ts";
import { startMockServer } from "../testing/mod.ts";
import { loadFixture, randomWrites } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "a very long prompt" }];

Deno.test("llama.cpp's non-standard 'error:' line in a 200 stream becomes ContextSizeError", async () => {
  const fixture = await loadFixture("llamacpp_error_field_stream.json");
  for (let seed = 1; seed <= 5; seed++) {
    await using server = await startMockServer();
    server.enqueue({ ...fixture, writes: randomWrites(fixture.sse!, seed) });
    const error = await new GptOssClient({ baseUrl: server.url, model: "m" })
      .streamResponse(ask).completion().catch((e) => e);
    assert.ok(error instanceof ContextSizeError, String(error));
    assert.equal(error.status, 200);
    assert.equal(
      error.serverMessage,
      "the request exceeds the available context size. try increasing the context size or enable context shift",
    );
    assert.match(error.message, /does not fit the context window/);
  }
});

Deno.test("llama.cpp's error event in a 200 stream becomes ContextSizeError with its numbers", async () => {
  const fixture = await loadFixture("llamacpp_error_event_context.json");
  await using server = await startMockServer();
  server.enqueue({ ...fixture, writes: randomWrites(fixture.sse!, 3) });
  const error = await new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask).completion().catch((e) => e);
  assert.ok(error instanceof ContextSizeError);
  assert.equal(error.promptTokens, 14429);
  assert.equal(error.maxContextSize, 8192);
  assert.match(
    error.message,
    /the prompt needs 14429 tokens, the context window is 8192/,
  );
});

Deno.test("readServerError() reads every server's error shape", () => {
  assert.deepEqual(
    readServerError({ error: { message: "m", type: "t", code: "c" } }),
    { message: "m", type: "t", code: "c" },
  );
  assert.deepEqual(
    readServerError({
      object: "error",
      message: "m",
      type: "BadRequestError",
      code: 400,
    }),
    {
      message: "m",
      type: "BadRequestError",
      code: 400,
    },
  );
  assert.deepEqual(readServerError({ error: "model not found" }), {
    message: "model not found",
  });
  assert.deepEqual(
    readServerError({
      error: {
        code: 400,
        message: "m",
        type: "exceed_context_size_error",
        n_prompt_tokens: 9,
        n_ctx: 8,
      },
    }),
    {
      message: "m",
      type: "exceed_context_size_error",
      code: 400,
      promptTokens: 9,
      contextSize: 8,
    },
  );
  assert.equal(readServerError({ choices: [] }), undefined);
  assert.equal(readServerError("text"), undefined);
});

Deno.test("errorFromBody() recognises context-length rejections by type, code and message", () => {
  const origin = { status: 400 };
  const cases: [unknown, number | undefined, number | undefined][] = [
    [
      {
        error: {
          message:
            "This model's maximum context length is 8192 tokens. However, your request has 9000 input tokens.",
        },
      },
      9000,
      8192,
    ],
    [
      {
        error: {
          message:
            "request (4390 tokens) exceeds the available context size (4096 tokens), try increasing it",
          type: "exceed_context_size_error",
        },
      },
      4390,
      4096,
    ],
    [
      { error: { message: "too long", code: "context_length_exceeded" } },
      undefined,
      undefined,
    ],
    [
      { error: "the input length exceeds the context length" },
      undefined,
      undefined,
    ],
    // LM Studio 0.3.15 (its log line, quoted in cline/cline#3664).
    [
      {
        error:
          "Trying to keep the first 10136 tokens when context the overflows. However, the model is loaded with context length of only 7866 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input",
      },
      10136,
      7866,
    ],
  ];
  for (const [body, prompt, window] of cases) {
    const error = errorFromBody(origin, JSON.stringify(body), body);
    assert.ok(error instanceof ContextSizeError, JSON.stringify(body));
    assert.equal(error.promptTokens, prompt);
    assert.equal(error.maxContextSize, window);
  }
  assert.ok(
    errorFromBody(origin, "{}", {
      error: { message: "bad temperature" },
    }) instanceof ApiError,
  );
});

Deno.test("errorFromBody() takes a body with llama.cpp's n_ctx as a context rejection, whatever its words", () => {
  // llama.cpp sends n_prompt_tokens and n_ctx only with a context rejection;
  // forks and later versions change the wording and the type, not the fields.
  const body = {
    error: {
      code: 400,
      message: "prompt does not fit this slot",
      type: "invalid_request_error",
      n_prompt_tokens: 5120,
      n_ctx: 4096,
    },
  };
  const error = errorFromBody({ status: 400 }, JSON.stringify(body), body);
  assert.ok(error instanceof ContextSizeError, String(error));
  assert.equal(error.promptTokens, 5120);
  assert.equal(error.maxContextSize, 4096);
});

Deno.test("errorFromBody() keeps a plain-text body whole in `body` and the first 300 characters as the message", () => {
  const text = "upstream failed: " + "x".repeat(2000);
  const error = errorFromBody({ status: 502 }, text, undefined);
  assert.ok(error instanceof ApiError);
  assert.equal(error.serverMessage, text.slice(0, 300));
  assert.ok(error.message.length < 600, error.message);
  assert.equal(error.body, text);
  // An HTML page is no message: the status text stands for it.
  const page = errorFromBody(
    { status: 502, statusText: "Bad Gateway" },
    "<html><body>nginx</body></html>",
    undefined,
  );
  assert.equal(page.serverMessage, "Bad Gateway");
});

Deno.test("an ApiError's message ends the server's sentence before the advice", () => {
  const error = errorFromBody(
    { status: 404 },
    '{"error":{"message":"No route for /api/v1/models"}}',
    { error: { message: "No route for /api/v1/models" } },
  );
  assert.match(
    error.message,
    /^The server answered 404: No route for \/api\/v1\/models\. Check the model name/,
  );
  const ended = errorFromBody({ status: 500 }, "", {
    error: { message: "Out of memory." },
  });
  assert.match(ended.message, /Out of memory\. The server is busy/);
});
