/**
 * The core module outside Deno: bundled to plain ESM with `deno bundle`, run
 * under Node and in headless Chromium against the mock server.
 */
import assert from "node:assert/strict";
import {
  chatCompletionBody,
  chatCompletionStream,
  startMockServer,
} from "../testing/mod.ts";
import { skipWithoutChromium, withPage } from "./_chromium.ts";
import { findOnPath } from "./_helpers.ts";

const root = new URL("..", import.meta.url);
/** The first `node` on the PATH; under CI (`CI=true`) a missing one fails the test. */
const nodePath = findOnPath("node");

/** Bundles mod.ts to one ESM file in a temporary folder. */
async function bundle(dir: string): Promise<string> {
  const file = `${dir}/gptoss.mjs`;
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--output",
      file,
      "mod.ts",
    ],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) throw new Error(new TextDecoder().decode(stderr));
  const code = await Deno.readTextFile(file);
  // Web-standard only: nothing of Deno's API is called in the bundle.
  assert.doesNotMatch(
    code.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ""),
    /\bDeno\.(?!customInspect)/,
  );
  return file;
}

Deno.test({
  name:
    "the bundled core runs under Node: a request, a stream with reasoning, an abort, a typed error, a timeout; then Node exits",
  ignore: !nodePath && Deno.env.get("CI") !== "true",
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const file = await bundle(dir);
      await using server = await startMockServer();
      server.enqueue({
        json: chatCompletionBody({
          reasoning: "Whole thought.",
          content: "Whole answer.",
        }),
      });
      server.enqueue({
        sse: chatCompletionStream({
          reasoning: "Think.",
          content: "Streamed.",
        }),
        writes: 7,
      });
      server.enqueue({
        sse: chatCompletionStream({
          reasoning: "Long thought.",
          content: "x ".repeat(50),
        }),
        writes: "event",
        delayMs: 20,
      });
      server.enqueue({
        status: 404,
        json: { error: { message: "no such model", type: "NotFoundError" } },
      });
      server.enqueue({ json: {}, stallMs: 5000 });
      const started = performance.now();
      const { code, stdout, stderr } = await new Deno.Command(
        nodePath ?? "node",
        {
          args: [
            new URL("./runtimes/node_client.mjs", import.meta.url).pathname,
            file,
            server.url,
          ],
          stdout: "piped",
          stderr: "piped",
        },
      ).output();
      const text = new TextDecoder();
      assert.equal(code, 0, text.decode(stderr));
      const results = JSON.parse(text.decode(stdout));
      assert.match(results.node, /^v\d+/);
      assert.deepEqual(results.nonStream, {
        content: "Whole answer.",
        reasoning: "Whole thought.",
      });
      assert.deepEqual(results.stream, {
        content: "Streamed.",
        reasoning: "Think.",
      });
      assert.deepEqual(results.abort, {
        name: "AbortError",
        isAbortError: true,
        incomplete: true,
      });
      assert.deepEqual(results.error, {
        name: "ApiError",
        isApiError: true,
        status: 404,
      });
      assert.deepEqual(results.timeout, {
        isTimeoutError: true,
        limit: "headers",
      });
      // Nothing of the client's 30-second limits holds Node once it is done.
      const ms = performance.now() - started;
      assert.ok(ms < 15_000, `Node took ${ms} ms`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const PAGE = (mock: string) =>
  `<!doctype html>
<meta charset="utf-8"><title>gptoss in a browser</title>
<style>body{font:16px sans-serif;margin:2em} #reasoning{color:#888}</style>
<h1>GPT-OSS</h1><p id="reasoning"></p><p id="answer"></p><p id="status">streaming</p><p id="error"></p><p id="timeout"></p>
<script type="module">
import { ApiError, GptOssClient, TimeoutError } from "./gptoss.mjs";
const client = new GptOssClient({ baseUrl: ${
    JSON.stringify(mock)
  }, model: "m", maxRetries: 0 });
const show = (id, text) => document.getElementById(id).textContent += text;
for await (const delta of client.streamResponse([{ role: "user", content: "Hello from the browser" }])) {
  if (delta.reasoning) show("reasoning", delta.reasoning);
  if (delta.content) show("answer", delta.content);
}
document.getElementById("status").textContent = "done";
try {
  await client.generateResponse([{ role: "user", content: "again" }]);
} catch (error) {
  show("error", error.name + " " + (error instanceof ApiError) + " " + error.status);
}
try {
  await client.generateResponse([{ role: "user", content: "slow" }], { timeout: { headers: 200 } });
  show("timeout", "none");
} catch (error) {
  show("timeout", (error instanceof TimeoutError) + " " + error.limit);
}
</script>`;

Deno.test({
  name:
    "the bundled core streams a chat in headless Chromium, from a page on another origin; a typed error, a timeout",
  ignore: skipWithoutChromium(),
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await bundle(dir);
      await using mock = await startMockServer({ eventDelayMs: 5 });
      mock.enqueue({
        sse: chatCompletionStream({
          reasoning: "The user greets me.",
          content: "Hello, browser!",
        }),
        writes: "event",
        delayMs: 10,
      });
      mock.enqueue({ status: 404, json: { error: "model 'm' not found" } });
      mock.enqueue({ json: {}, stallMs: 5000 });
      const site = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen() {} },
        async (request) => {
          const path = new URL(request.url).pathname;
          if (path === "/") {
            return new Response(PAGE(mock.url), {
              headers: { "content-type": "text/html" },
            });
          }
          if (path === "/gptoss.mjs") {
            return new Response(await Deno.readFile(`${dir}/gptoss.mjs`), {
              headers: { "content-type": "text/javascript" },
            });
          }
          return new Response("not found", { status: 404 });
        },
      );
      try {
        await withPage(`http://127.0.0.1:${site.addr.port}/`, async (page) => {
          await page.waitFor(
            `document.getElementById("status").textContent === "done" && document.getElementById("timeout").textContent`,
          );
          assert.equal(
            await page.evaluate(
              "document.getElementById('reasoning').textContent",
            ),
            "The user greets me.",
          );
          assert.equal(
            await page.evaluate(
              "document.getElementById('answer').textContent",
            ),
            "Hello, browser!",
          );
          assert.equal(
            await page.evaluate("document.getElementById('error').textContent"),
            "ApiError true 404",
          );
          assert.equal(
            await page.evaluate(
              "document.getElementById('timeout').textContent",
            ),
            "true headers",
          );
        });
      } finally {
        await site.shutdown();
      }
      // The preflight was answered, then the chat was asked.
      assert.ok(mock.requests.some((r) => r.path === "/v1/chat/completions"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
