/**
 * A stream's first delta is handed out as soon as it is decoded: the rest of
 * the read it came in (often the whole of a short answer) is decoded when
 * the caller asks for more or stops. Whatever the caller does next, it must
 * observe what it would had the whole read been decoded at once.
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  AbortError,
  type ChatCompletion,
  GptOssClient,
  GptOssError,
} from "../mod.ts";
import { chatCompletionsApi } from "../src/api/chat/mod.ts";
import { DEFAULT_TIMEOUTS } from "../src/http/timeouts.ts";
import { RequestWatchdog } from "../src/http/watchdog.ts";
import type { AnswerReader } from "../src/stream/decoder.ts";
import { StreamedCompletion } from "../src/stream/streamed_completion.ts";
import { chatCompletionStream, startMockServer } from "../testing/mod.ts";
import { check, fromCompletion, type Run, texts } from "./_observed.ts";
import { expected, render, scripts } from "./_wire_model.ts";

const ask = [{ role: "user" as const, content: "hi" }];

/**
 * A stream of the chat API read straight from a server, its decoder's
 * feeding counted: calls, and characters.
 */
function countedStream(
  baseUrl: string,
  faults: { signal?: AbortSignal; failOn?: string } = {},
) {
  const fed = { calls: 0, characters: 0 };
  const chat = chatCompletionsApi.reader;
  const reader: AnswerReader = {
    ...chat,
    stream(options) {
      const decoder = chat.stream(options);
      const feed = decoder.feed.bind(decoder);
      decoder.feed = (text) => {
        fed.calls++;
        fed.characters += text.length;
        // A decoder with a bug: an error that is not the library's own.
        if (faults.failOn && text.includes(faults.failOn)) {
          throw new TypeError("a decoder bug");
        }
        return feed(text);
      };
      return decoder;
    },
  };
  const url = `${baseUrl}/v1/chat/completions`;
  const stream = new StreamedCompletion({
    async open(stop) {
      const signal = faults.signal
        ? AbortSignal.any([faults.signal, stop])
        : stop;
      const watchdog = new RequestWatchdog(DEFAULT_TIMEOUTS, url, signal);
      const response = await fetch(url, {
        method: "POST",
        body: "{}",
        signal: watchdog.signal,
      });
      watchdog.headersReceived();
      return { response, watchdog };
    },
    url,
    reader,
    scrub: (error) => error,
    splitHarmony: true,
    maxResponseBytes: Infinity,
  });
  return { stream, fed };
}

Deno.test("StreamedCompletion hands out the first delta before decoding the rest of the read it came in", async () => {
  await using server = await startMockServer();
  const content = Array.from({ length: 3000 }, (_, i) => `w${i} `).join("");
  // One write: the first read holds the role chunk, the first delta and many more.
  server.enqueue({ sse: chatCompletionStream({ content }), writes: "whole" });
  const { stream, fed } = countedStream(server.url);
  const fedAt: number[] = [];
  let got = "";
  for await (const delta of stream) {
    fedAt.push(fed.characters);
    got += delta.content ?? "";
  }
  assert.equal(got, content);
  // The role chunk and the first delta: two events of about 150 characters.
  assert.ok(
    fedAt[0] < 600,
    `${fedAt[0]} characters decoded before the first delta`,
  );
  // After it, a read is decoded whole as before.
  assert.ok(
    fedAt[1] > 4 * 1024,
    `${fedAt[1]} characters decoded by the second`,
  );
  assert.equal((await stream.completion()).choices[0].message.content, content);
});

Deno.test("a stream that opens with a flood of keep-alives decodes them in one piece after the first 64 lines", async () => {
  await using server = await startMockServer();
  const sse = ": keep-alive\n\n".repeat(5_000) +
    chatCompletionStream({ content: "Hello there" });
  server.enqueue({ sse, writes: "whole" });
  const { stream, fed } = countedStream(server.url);
  let calls = -1;
  let got = "";
  for await (const delta of stream) {
    if (calls < 0) calls = fed.calls;
    got += delta.content ?? "";
  }
  assert.equal(got, "Hello there");
  // 64 lines one by one, then each read whole (a few reads of 75 KB).
  assert.ok(
    calls >= 64 && calls < 64 + 20,
    `${calls} feeds before the first delta`,
  );
});

Deno.test("whatever the decoder throws while decoding the rest of the first read ends the stream with a typed error, whichever way the caller goes on", async () => {
  await using server = await startMockServer();
  const content = Array.from({ length: 300 }, (_, i) => `w${i} `).join("");
  for (const way of ["next", "break", "abort", "completion"] as const) {
    server.enqueue({ sse: chatCompletionStream({ content }), writes: "whole" });
    const controller = new AbortController();
    const { stream } = countedStream(server.url, {
      signal: controller.signal,
      failOn: '" w5"',
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false, way);
    let thrown: unknown;
    if (way === "next") thrown = await iterator.next().catch((e) => e);
    else if (way === "break") await iterator.return!();
    else if (way === "abort") {
      controller.abort(new Error("enough"));
      thrown = await iterator.next().catch((e) => e);
    }
    const settled = await Promise.race([
      stream.completion().catch((e) => e),
      new Promise((r) => setTimeout(() => r("hung"), 1000)),
    ]);
    assert.ok(settled instanceof GptOssError, `${way}: ${settled}`);
    assert.match(settled.message, /a decoder bug/, way);
    assert.ok(settled.cause instanceof TypeError, way);
    if (thrown !== undefined) assert.equal(thrown, settled, way);
  }
});

/** Endings the text itself decides: the stream is over when its read is decoded. */
const DECIDED = ["done", "error-event", "error-line", "not-json"];

type Next = "break" | "completion" | "abort-then-read" | "hold-then-read";

/** Takes the first delta, then goes on as `next` says. */
async function afterFirst(
  next: Next,
  baseUrl: string,
): Promise<(Run & { stats?: ChatCompletion["stats"] }) | undefined> {
  const controller = new AbortController();
  const stream = new GptOssClient({ baseUrl, model: "m", maxRetries: 0 })
    .streamResponse(ask, { signal: controller.signal });
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next().catch(() => undefined);
  if (first === undefined || first.done) {
    // Nothing handed out before the end or the failure.
    await stream.completion().catch(() => {});
    return undefined;
  }
  const deltas = [first.value];
  let error: unknown;
  if (next === "break") await iterator.return!();
  else if (next !== "completion") {
    if (next === "abort-then-read") controller.abort(new Error("enough"));
    else await new Promise((r) => setTimeout(r, 80));
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done) break;
        deltas.push(step.value);
      }
    } catch (e) {
      error = e;
    }
  }
  const settled = await stream.completion().then(
    (completion) => ({ completion }),
    (e) => ({ rejected: e }),
  );
  if ("rejected" in settled) {
    return { deltas, error: error ?? settled.rejected };
  }
  return {
    deltas,
    completion: settled.completion,
    ...(error ? { error } : {}),
  };
}

Deno.test("after the first delta of a stream that arrived in one read, every way on sees all of that read (reference model, 300 scripts)", async () => {
  await using server = await startMockServer();
  let decided = 0;
  await fc.assert(
    fc.asyncProperty(
      scripts.filter((s) =>
        s.ending.kind !== "reset" &&
        new TextEncoder().encode(render(s)).length < 3500
      ),
      fc.constantFrom<Next>(
        "break",
        "completion",
        "abort-then-read",
        "hold-then-read",
      ),
      async (script, next) => {
        server.enqueue({ sse: render(script), writes: "whole" });
        const run = await afterFirst(next, server.url);
        if (run === undefined) return; // nothing to hand out
        const want = expected(script);
        const decidedInText = DECIDED.includes(script.ending.kind);
        if (decidedInText) decided++;
        if (next === "completion" || (next === "break" && decidedInText)) {
          // Whole: read on by completion(), or had arrived when the caller left.
          if (want.error === undefined) {
            assert.equal(run.completion?.incomplete, undefined);
            assert.deepEqual(
              [...fromCompletion(run.completion!)],
              [...want.choices],
            );
            assert.deepEqual(run.completion!.usage, want.usage);
          } else {
            assert.ok(run.error instanceof Error, `${run.error}`);
            assert.equal(run.error.name, want.error);
          }
        } else if (decidedInText) {
          // An abort after the end had arrived comes too late to matter.
          check(want, run);
          if (next === "hold-then-read" && run.completion) {
            // The stream ended when its last bytes came, not when the caller came back.
            const { totalMs } = run.completion.stats!;
            assert.ok(totalMs < 80, `totalMs ${totalMs}`);
          }
        } else if (next === "abort-then-read") {
          // The body's end was still to be read: what arrived, all of it.
          assert.ok(run.error instanceof AbortError, `${run.error}`);
          const partial = run.error.partial;
          assert.deepEqual(
            partial ? texts(fromCompletion(partial)) : [],
            texts(want.choices),
          );
        } else if (next === "break") {
          assert.equal(run.completion?.incomplete, true);
          assert.deepEqual(
            texts(fromCompletion(run.completion!)),
            texts(want.choices),
          );
        } else check(want, run);
      },
    ),
    { numRuns: 300, seed: 2612 },
  );
  assert.ok(decided > 150, `${decided} scripts ended in their text`);
});
