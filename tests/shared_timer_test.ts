/**
 * The one timer behind every request's limits (src/http/shared_timer.ts):
 * each sleeper wakes at its own time whatever the order it asked in, a
 * cancelled one never does, and through the client, requests with
 * different limits each time out at their own; nothing of it keeps a
 * process alive.
 */

import assert from "node:assert/strict";
import { GptOssClient, TimeoutError } from "../mod.ts";
import { chatCompletionStream, startMockServer } from "../testing/mod.ts";
import { cancelWake, type Sleeper, wakeAt } from "../src/http/shared_timer.ts";

/** A sleeper that records when it woke. */
function sleeper(
  woken: { name: string; at: number }[],
  name: string,
): Sleeper {
  return { due: 0, wake: () => woken.push({ name, at: Date.now() }) };
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

Deno.test("sleepers wake in the order of their times, not of their asking, each not before its time", async () => {
  const woken: { name: string; at: number }[] = [];
  const start = Date.now();
  const plan = [["late", 120], ["early", 20], ["middle", 60], ["soon", 40]];
  for (const [name, ms] of plan) {
    wakeAt(sleeper(woken, name as string), start + (ms as number));
  }
  await pause(250);
  assert.deepEqual(woken.map((w) => w.name), [
    "early",
    "soon",
    "middle",
    "late",
  ]);
  for (const { name, at } of woken) {
    const ms = plan.find(([n]) => n === name)![1] as number;
    assert.ok(
      at >= start + ms,
      `${name} woke ${at - start} ms in, due at ${ms}`,
    );
  }
});

Deno.test("a cancelled sleeper is not woken; one moved sooner or later wakes at its new time, once", async () => {
  const woken: { name: string; at: number }[] = [];
  const start = Date.now();
  const cancelled = sleeper(woken, "cancelled");
  const sooner = sleeper(woken, "sooner");
  const later = sleeper(woken, "later");
  wakeAt(cancelled, start + 30);
  wakeAt(sooner, start + 150);
  wakeAt(later, start + 20);
  cancelWake(cancelled);
  wakeAt(sooner, start + 40);
  wakeAt(later, start + 100);
  await pause(250);
  assert.deepEqual(woken.map((w) => w.name), ["sooner", "later"]);
  assert.ok(woken[0].at >= start + 40 && woken[1].at >= start + 100);
});

Deno.test("a sleeper that another's waking cancels, or moves later, is not woken with it", async () => {
  const woken: { name: string; at: number }[] = [];
  const due = Date.now() + 20;
  const cancelled = sleeper(woken, "cancelled");
  const moved = sleeper(woken, "moved");
  const first: Sleeper = {
    due: 0,
    wake: () => {
      woken.push({ name: "first", at: Date.now() });
      cancelWake(cancelled);
      wakeAt(moved, Date.now() + 60);
    },
  };
  wakeAt(first, due);
  wakeAt(cancelled, due);
  wakeAt(moved, due);
  await pause(40);
  assert.deepEqual(woken.map((w) => w.name), ["first"]);
  await pause(120);
  assert.deepEqual(woken.map((w) => w.name), ["first", "moved"]);
});

Deno.test("requests with different limits each time out at their own, whichever started first", async () => {
  await using server = await startMockServer();
  const limits = [1500, 600, 150];
  for (const _ of limits) server.enqueue({ json: {}, stallMs: 5000 });
  const results = await Promise.all(limits.map(async (headers) => {
    const client = new GptOssClient({
      baseUrl: server.url,
      model: "m",
      maxRetries: 0,
      timeout: { headers },
    });
    const started = performance.now();
    const error = await client.generateResponse([
      { role: "user", content: "Hi" },
    ]).catch((e) => e);
    return { headers, error, ms: performance.now() - started };
  }));
  for (const { headers, error, ms } of results) {
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.limit, "headers");
    assert.equal(error.timeoutMs, headers);
    assert.ok(ms >= headers - 10, `${headers} ms limit ended at ${ms} ms`);
  }
  // The shortest did not wait for a timer set for a longer one.
  const shortest = results.find((r) => r.headers === 150)!;
  assert.ok(shortest.ms < 600, `the 150 ms limit ended at ${shortest.ms} ms`);
});

/** Runs `body` in a fresh Deno process with a client of `url`; its output and time. */
async function inProcess(
  url: string,
  body: string,
): Promise<{ output: string; ms: number }> {
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    const mod = JSON.stringify(new URL("../mod.ts", import.meta.url).href);
    await Deno.writeTextFile(
      script,
      `import { GptOssClient } from ${mod};
const client = new GptOssClient({ baseUrl: ${
        JSON.stringify(url)
      }, model: "m", maxRetries: 0 });
const ask = [{ role: "user" as const, content: "Hi" }];
${body}`,
    );
    const started = performance.now();
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--allow-net=127.0.0.1", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const ms = performance.now() - started;
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    return { output: new TextDecoder().decode(stdout).trim(), ms };
  } finally {
    await Deno.remove(script);
  }
}

const STREAM = `let text = "";
for await (const delta of client.streamResponse(ask)) text += delta.content ?? "";
console.log(text);
`;
const TIMED_OUT =
  `const error = await client.generateResponse(ask, { timeout: { headers: 200 } }).catch((e) => e);
console.log(error.name, error.limit);
`;

Deno.test("a process exits as soon as its requests are done, whether the last one ended with its answer or by its own limit", async () => {
  await using server = await startMockServer();
  const answer = { sse: chatCompletionStream({ content: "Bye." }) };
  const stall = { json: {}, stallMs: 5000 };
  // The first request's 30-second wake-up is still pending when each ends.
  for (
    const [replies, body, output] of [
      [[answer], STREAM, "Bye."],
      [[answer, stall], STREAM + TIMED_OUT, "Bye.\nTimeoutError headers"],
    ] as const
  ) {
    for (const reply of replies) server.enqueue(reply);
    const run = await inProcess(server.url, body);
    assert.equal(run.output, output);
    // A timer heard for a 30-second limit would hold the process that long.
    assert.ok(run.ms < 15_000, `the process took ${run.ms} ms`);
  }
});

Deno.test("a timer that fired while nobody waited is not counted on by the next sleeper", async () => {
  const woken: { name: string; at: number }[] = [];
  const first = sleeper(woken, "first");
  wakeAt(first, Date.now() + 20);
  cancelWake(first);
  await pause(80); // its timer fires now, unheard
  const start = Date.now();
  wakeAt(sleeper(woken, "next"), start + 30);
  await pause(200);
  assert.deepEqual(woken.map((w) => w.name), ["next"]);
});

Deno.test("a time beyond the longest a timer takes (2^31 - 1 ms) waits in one timer, not in a stream of them", async () => {
  const original = AbortSignal.timeout;
  let timers = 0;
  AbortSignal.timeout = (ms: number) => {
    timers++;
    return original.call(AbortSignal, ms);
  };
  const woken: { name: string; at: number }[] = [];
  const far = sleeper(woken, "far");
  try {
    wakeAt(far, Date.now() + 2 ** 31 + 5_000);
    await pause(150);
  } finally {
    cancelWake(far);
    AbortSignal.timeout = original;
  }
  assert.deepEqual(woken, []);
  assert.ok(timers <= 1, `${timers} timers in 150 ms`);
});
