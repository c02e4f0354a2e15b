/**
 * The stream against its reference model (tests/_wire_model.ts): generated
 * wire scripts in every server's real framing, replayed over a real socket
 * with every kind of read split and consumer pace, then every way of
 * stopping, with and without secrets configured. What the caller observes
 * (the deltas in order, the completion, or the error and its partial) must
 * be what the script says. Seeded and bounded; a failure prints its seed and
 * the shortest script that reproduces it.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  AbortError,
  type ChatCompletion,
  GptOssClient,
  GptOssError,
  type StreamDelta,
} from "../mod.ts";
import {
  chatCompletionStream,
  type MockServer,
  startMockServer,
  type WritePlan,
} from "../testing/mod.ts";
import { expected, render, type Script, scripts } from "./_wire_model.ts";
import { check, observe, type Run } from "./_observed.ts";
import { seededRandom, waitFor } from "./_helpers.ts";

const SECRET = "sk-model-0123456789abcdefghijklmnopqrstuv";

/** The promise's result, or a failure when it takes longer than `ms`: nothing here may hang. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still pending after ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
const ask = [{ role: "user" as const, content: "hi" }];

type Pace = "instant" | "slow" | "pausing";

async function replay(
  server: MockServer,
  script: Script,
  writes: WritePlan,
  pace: Pace,
  secret: boolean,
): Promise<Run> {
  const body = render(script);
  server.enqueue({ sse: body, writes, reset: script.ending.kind === "reset" });
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxRetries: 0,
    ...(secret ? { apiKey: SECRET } : {}),
  });
  const stream = client.streamResponse(ask);
  const deltas: StreamDelta[] = [];
  let error: unknown;
  try {
    let n = 0;
    for await (const delta of stream) {
      deltas.push(delta);
      n++;
      if (pace === "slow") await new Promise((r) => setTimeout(r, 0));
      if (pace === "pausing" && n % 3 === 0) {
        await new Promise((r) => setTimeout(r, 4));
      }
    }
  } catch (e) {
    error = e;
  }
  const completion = await stream.completion().catch(() => undefined);
  return { deltas, error, ...(completion ? { completion } : {}) };
}

/** Where to split the body into writes. */
function plans(body: string, seed: number): WritePlan[] {
  const next = seededRandom(seed);
  const size = new TextEncoder().encode(body).length;
  const cuts = Array.from(
    { length: 1 + Math.floor(next() * 12) },
    () => 1 + Math.floor(next() * Math.max(1, size - 1)),
  );
  const out: WritePlan[] = [
    "whole",
    "event",
    [...new Set(cuts)].sort((a, b) => a - b),
  ];
  if (size < 2500) out.push(1);
  return out;
}

Deno.test("streamResponse() gives what the model says for any script, read split and pace (server profiles of vLLM, llama.cpp, Ollama, LM Studio)", async () => {
  await using server = await startMockServer();
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(
      scripts,
      fc.constantFrom<Pace>("instant", "slow", "pausing"),
      fc.boolean(),
      fc.nat(),
      async (script, pace, secret, seed) => {
        const want = expected(script);
        for (const writes of plans(render(script), seed)) {
          const run = await replay(server, script, writes, pace, secret);
          runs++;
          check(want, run, secret ? SECRET : undefined);
        }
      },
    ),
    { numRuns: 220, seed: 131313 },
  );
  assert.ok(runs > 700, `${runs} replays`);
});

// ----- The caller's pace is not the server's silence ----------------------

Deno.test("the idle limit never counts the caller's time: a slow caller gets every delta, also through toReadableStream", async () => {
  await using server = await startMockServer();
  const script: Script = {
    profile: "vllm",
    events: [
      { kind: "text", field: "reasoning", choice: 0, text: "Think." },
      { kind: "text", field: "content", choice: 0, text: "One" },
      { kind: "text", field: "content", choice: 0, text: " two" },
      { kind: "text", field: "content", choice: 0, text: " three" },
      { kind: "finish", choice: 0, reason: "stop" },
    ],
    ending: { kind: "done" },
  };
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    timeout: { idle: 100 },
  });
  // The server is never silent for 100 ms; the caller takes 250 ms per delta.
  server.enqueue({ sse: render(script), writes: "event", delayMs: 30 });
  const deltas: StreamDelta[] = [];
  for await (const delta of client.streamResponse(ask)) {
    deltas.push(delta);
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual([...observe(deltas).choices], [...expected(script).choices]);
  // A browser that reads slowly: the same through a byte stream.
  server.enqueue({ sse: render(script), writes: "event", delayMs: 30 });
  const reader = client.streamResponse(ask).toReadableStream().getReader();
  const lines: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    lines.push(new TextDecoder().decode(value));
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(lines.at(-1)!.includes('"done":true'), lines.at(-1));
  // The limit still holds for a server that is silent while the client waits.
  server.enqueue({
    sse: render(script),
    writes: "event",
    pauseAfterWrites: 2,
    pauseMs: 2000,
  });
  const stalled = client.streamResponse(ask);
  await assert.rejects(
    (async () => {
      for await (const _ of stalled) { /* reading */ }
    })(),
    (error) => error instanceof GptOssError && error.name === "TimeoutError",
  );
});

// ----- Every way to stop ---------------------------------------------------

type Stop =
  | "break"
  | "return-pending"
  | "cancel-body"
  | "abort-pending"
  | "abort-while-away"
  | "abort-timeout-signal"
  | "pre-aborted";
type Reason = "error" | "frozen" | "string" | "default";

function reasonOf(kind: Reason): unknown {
  if (kind === "error") return new Error("user cancelled");
  if (kind === "frozen") return Object.freeze(new Error("frozen reason"));
  if (kind === "string") return "user left";
  return undefined; // AbortController's own DOMException
}

Deno.test("every way to stop ends the request at once, whatever upstream does, and settles with what arrived", async () => {
  await using server = await startMockServer();
  const script: Script = {
    profile: "vllm",
    events: [
      { kind: "text", field: "content", choice: 0, text: "Hello" },
      { kind: "text", field: "content", choice: 0, text: " there" },
      ...Array.from({ length: 40 }, () => ({ kind: "ping" as const })),
      { kind: "finish", choice: 0, reason: "stop" },
    ],
    ending: { kind: "done" },
  };
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom<Stop>(
        "break",
        "return-pending",
        "cancel-body",
        "abort-pending",
        "abort-while-away",
        "abort-timeout-signal",
        "pre-aborted",
      ),
      fc.constantFrom<Reason>("error", "frozen", "string", "default"),
      fc.constantFrom("silent", "pings"),
      fc.boolean(),
      async (stop, reasonKind, upstream, secret) => {
        const before = server.requests.length;
        // Upstream is silent for 10 s after the first two deltas, or keeps
        // sending keep-alives. (A pre-aborted call sends no request.)
        if (stop !== "pre-aborted") {
          server.enqueue(
            upstream === "silent"
              ? {
                sse: render(script),
                writes: "event",
                pauseAfterWrites: 3,
                pauseMs: 10_000,
              }
              : { sse: render(script), writes: "event", delayMs: 60 },
          );
        }
        const controller = new AbortController();
        const reason = reasonOf(reasonKind);
        const signal = stop === "abort-timeout-signal"
          ? AbortSignal.timeout(300)
          : controller.signal;
        if (stop === "pre-aborted") controller.abort(reason);
        const client = new GptOssClient({
          baseUrl: server.url,
          model: "m",
          maxRetries: 0,
          ...(secret
            ? { apiKey: SECRET, headers: { "x-api-key": SECRET } }
            : {}),
        });
        const stream = client.streamResponse(ask, { signal });
        const seen: StreamDelta[] = [];
        const started = performance.now();
        let thrown: unknown;
        if (stop === "cancel-body") {
          const reader = stream.toReadableStream().getReader();
          await reader.read();
          await reader.read(); // both deltas: from now on upstream says nothing of use
          const pending = reader.read();
          await new Promise((r) => setTimeout(r, 30));
          await reader.cancel();
          await pending.catch(() => {});
        } else {
          const iterator = stream[Symbol.asyncIterator]();
          try {
            // Both deltas: from now on upstream says nothing of use.
            while (stop !== "pre-aborted" && seen.length < 2) {
              const next = await iterator.next();
              if (next.done) break;
              seen.push(next.value);
            }
            if (stop === "break") await iterator.return!();
            else if (stop === "return-pending") {
              const pending = iterator.next();
              await new Promise((r) => setTimeout(r, 30));
              await iterator.return!();
              assert.deepEqual(await pending, { done: true, value: undefined });
            } else if (stop === "abort-pending") {
              setTimeout(() => controller.abort(reason), 30);
              await iterator.next();
            } else if (stop === "abort-while-away") {
              await new Promise((r) => setTimeout(r, 20));
              controller.abort(reason);
              await iterator.next();
            } else {
              for (;;) if ((await iterator.next()).done) break;
            }
          } catch (error) {
            thrown = error;
          }
        }
        const completion = await Promise.race([
          stream.completion().then((c) => ({ c }), (e) => ({ e })),
          new Promise<"hung">((r) => setTimeout(() => r("hung"), 3000)),
        ]);
        if (completion === "hung") {
          throw new Error("completion() never settled");
        }
        const aborted = stop.startsWith("abort") || stop === "pre-aborted";
        if (aborted) {
          assert.ok(thrown instanceof AbortError, `AbortError, not ${thrown}`);
          const expectedReason = stop === "abort-timeout-signal"
            ? signal.reason
            : controller.signal.reason;
          assert.equal(
            thrown.cause,
            expectedReason,
            "the cause is the caller's reason, the same object",
          );
          if (reasonKind === "error" && stop !== "abort-timeout-signal") {
            assert.match(
              thrown.message,
              /\(user cancelled\)/,
              "the reason is said",
            );
          }
          // (A timeout signal's reason is its own, whatever reason was drawn.)
          if (reasonKind === "frozen" && stop !== "abort-timeout-signal") {
            assert.equal((thrown.cause as Error).message, "frozen reason");
          }
          assert.ok("e" in completion && completion.e === thrown);
        } else {
          assert.equal(thrown, undefined);
          assert.ok("c" in completion, "completion() resolves");
          assert.equal(completion.c.incomplete, true);
          // What arrived, at least what the caller saw.
          const content = completion.c.choices[0].message.content ?? "";
          assert.ok(
            content.startsWith(seen.map((d) => d.content ?? "").join("")),
            content,
          );
        }
        const elapsed = performance.now() - started;
        assert.ok(elapsed < 1500, `stopped after ${Math.round(elapsed)} ms`);
        // The request is over on the server's side within moments.
        if (server.requests.length > before) {
          const request = server.requests.at(-1)!;
          await waitFor(() => request.cancelled, 50);
          assert.ok(request.cancelled, `${stop}: upstream still open`);
        }
      },
    ),
    { numRuns: 40, seed: 777 },
  );
});

Deno.test("completion() after taking one delta by hand reads the rest", async () => {
  await using server = await startMockServer();
  const script: Script = {
    profile: "llamacpp",
    events: [
      { kind: "text", field: "content", choice: 0, text: "one" },
      { kind: "text", field: "content", choice: 0, text: " two" },
      { kind: "finish", choice: 0, reason: "stop" },
    ],
    ending: { kind: "done" },
  };
  server.enqueue({ sse: render(script), writes: "event", delayMs: 5 });
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask);
  const first = await stream[Symbol.asyncIterator]().next();
  assert.equal(first.done, false);
  const completion = await within(2000, stream.completion());
  assert.equal(completion.choices[0].message.content, "one two");
  assert.equal(completion.incomplete, undefined);
});

Deno.test("stopping while the request is being made ends it at once: return(), a cancelled body, an abort", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    maxRetries: 0,
  });
  for (const way of ["return", "cancel-body", "abort"] as const) {
    // The server takes 10 s to send its headers.
    server.enqueue({ sse: "data: [DONE]\n\n", stallMs: 10_000 });
    const controller = new AbortController();
    const stream = client.streamResponse(ask, { signal: controller.signal });
    const started = performance.now();
    let outcome: unknown;
    if (way === "cancel-body") {
      const reader = stream.toReadableStream().getReader();
      const pending = reader.read();
      await new Promise((r) => setTimeout(r, 50));
      await within(500, reader.cancel());
      outcome = await within(500, pending);
    } else {
      const iterator = stream[Symbol.asyncIterator]();
      const pending = iterator.next();
      await new Promise((r) => setTimeout(r, 50));
      if (way === "return") {
        await within(500, iterator.return!());
        outcome = await within(500, pending);
        assert.deepEqual(outcome, { done: true, value: undefined });
      } else {
        controller.abort(new Error("enough"));
        outcome = await within(500, pending.catch((e) => e));
        assert.ok(outcome instanceof AbortError);
      }
    }
    const request = server.requests.at(-1)!;
    await waitFor(() => request.cancelled, 50);
    assert.ok(request.cancelled, `${way}: the server still holds the request`);
    const completion = await within(500, stream.completion().catch((e) => e));
    if (way === "abort") assert.ok(completion instanceof AbortError);
    else assert.equal((completion as ChatCompletion).incomplete, true);
    assert.ok(performance.now() - started < 1000);
  }
});

Deno.test("an abort while the caller holds unread deltas ends the stream at the next read, queue or not", async () => {
  await using server = await startMockServer();
  const sse = chatCompletionStream({ content: "one two three four five six" });
  // Everything but the last events in one write, then silence: the client
  // has read ahead; the caller has taken one delta of it.
  server.enqueue({
    sse,
    writes: [Math.floor(sse.length * 0.8)],
    pauseAfterWrites: 1,
    pauseMs: 10_000,
  });
  const controller = new AbortController();
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask, { signal: controller.signal });
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.equal(first.done, false);
  controller.abort(new Error("enough"));
  const next = await within(500, iterator.next().catch((e) => e));
  assert.ok(
    next instanceof AbortError,
    `an AbortError, not ${JSON.stringify(next)}`,
  );
  const completion = await within(500, stream.completion().catch((e) => e));
  assert.equal(completion, next);
  assert.equal(next.partial?.incomplete, true, "what arrived is kept");
  const request = server.requests.at(-1)!;
  await waitFor(() => request.cancelled, 50);
  assert.ok(request.cancelled);
});

/** Microtask turns until `promise` settles (at most 50). */
async function turnsUntil(promise: Promise<unknown>): Promise<number> {
  let settled = false;
  promise.then(() => settled = true, () => settled = true);
  let turns = 0;
  while (!settled && turns < 50) {
    await Promise.resolve();
    turns++;
  }
  return turns;
}

Deno.test("deltas read ahead are handed out at once: a next() with a delta queued settles within two microtask turns", async () => {
  await using server = await startMockServer();
  const sse = chatCompletionStream({ content: "one two three four five six" });
  // One write: every delta is decoded by the read that brings the first.
  server.enqueue({ sse, writes: [sse.length] });
  const stream = new GptOssClient({ baseUrl: server.url, model: "m" })
    .streamResponse(ask);
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.equal(first.done, false);
  const turns: number[] = [];
  for (;;) {
    const next = iterator.next();
    turns.push(await turnsUntil(next));
    if ((await next).done) break;
  }
  // Every delta but the end (which waits on nothing either, but ends the
  // request) came from the queue.
  const queued = turns.slice(0, -1);
  assert.ok(queued.length >= 5, `${queued.length} deltas queued`);
  assert.ok(queued.every((t) => t <= 2), `turns: ${turns.join(" ")}`);
});
