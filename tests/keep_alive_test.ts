/**
 * After a stream's end marker the client reads on to the end of the body
 * (briefly, and without decoding it), so that the connection carries the
 * next request: a body cancelled short of its end closes its connection,
 * and every request would then pay for a new one (and for HTTPS a new
 * handshake). Servers of real sockets on 127.0.0.1 that count connections.
 */

import assert from "node:assert/strict";
import { type ChatCompletion, GptOssClient } from "../mod.ts";
import {
  chatCompletionStream,
  ollamaChatStream,
  tokenPieces,
} from "../testing/mod.ts";
import { waitFor } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "hi" }];
const encoder = new TextEncoder();

/** The events of an SSE stream, or the lines of an NDJSON one. */
function piecesOf(text: string, ndjson: boolean): Uint8Array[] {
  const parts = ndjson ? text.split(/(?<=\n)/) : text.split(/(?<=\n\n)/);
  return parts.filter((p) => p).map((p) => encoder.encode(p));
}

interface Plan {
  /** The body's pieces, written one by one. */
  pieces: Uint8Array[];
  /** Milliseconds between pieces. */
  gapMs: number;
  /** After the pieces: keep the body open this long, or write junk until cancelled. */
  after?: { openMs: number } | { junk: true };
  /** Ollama's NDJSON rather than SSE. */
  ndjson?: boolean;
}

/** A server that writes each body as planned and counts the connections it was asked on. */
function countingServer(plan: () => Plan) {
  const ports = new Set<number>();
  const stats = { cancelled: 0, junkBytes: 0 };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request, info) => {
      ports.add((info.remoteAddr as Deno.NetAddr).port);
      await request.body?.cancel();
      const { pieces, gapMs, after, ndjson } = plan();
      let i = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const pause = (ms: number) =>
        new Promise<void>((resolve) => timer = setTimeout(resolve, ms));
      let cancelled = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          // Between pieces, and before the body's end (after the end marker).
          if (i > 0 && gapMs > 0) await pause(gapMs);
          if (cancelled) return;
          if (i < pieces.length) {
            controller.enqueue(pieces[i++]);
            return;
          }
          if (after && "openMs" in after) {
            await pause(after.openMs);
            if (!cancelled) controller.close();
          } else if (after && "junk" in after) {
            await pause(1);
            if (cancelled) return;
            const junk = encoder.encode(": junk\n\n".repeat(8192));
            stats.junkBytes += junk.length;
            controller.enqueue(junk);
          } else controller.close();
        },
        cancel() {
          cancelled = true;
          stats.cancelled++;
          clearTimeout(timer);
        },
      });
      return new Response(body, {
        headers: {
          "content-type": ndjson ? "application/x-ndjson" : "text/event-stream",
        },
      });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    ports,
    stats,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("streams read to their end leave their connection to the next request, however they are read", async () => {
  const content = "one two three four five";
  await using server = countingServer(() => ({
    // A pause between events: the body's end comes after the end marker.
    pieces: piecesOf(chatCompletionStream({ content }), false),
    gapMs: 2,
  }));
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  for (let i = 0; i < 4; i++) {
    let got = "";
    for await (const delta of client.streamResponse(ask)) {
      got += delta.content ?? "";
    }
    assert.equal(got, content);
    const completion = await client.streamResponse(ask).completion();
    assert.equal(completion.choices[0].message.content, content);
    const body = client.streamResponse(ask).toReadableStream();
    assert.ok((await new Response(body).text()).length > 0);
  }
  // Twelve requests, one after another: the same connection each time.
  assert.ok(server.ports.size <= 2, `${server.ports.size} connections`);
});

Deno.test("an Ollama stream read to its end leaves its connection too", async () => {
  const content = "one two three four five";
  await using server = countingServer(() => ({
    pieces: piecesOf(
      ollamaChatStream({ content: tokenPieces(content).join("") }),
      true,
    ),
    gapMs: 2,
    ndjson: true,
  }));
  const client = new GptOssClient({
    baseUrl: server.url,
    model: "m",
    api: "ollama",
  });
  for (let i = 0; i < 6; i++) {
    const completion = await client.streamResponse(ask).completion();
    assert.equal(completion.choices[0].message.content, content);
  }
  assert.ok(server.ports.size <= 2, `${server.ports.size} connections`);
});

/**
 * A server that writes a whole stream at once (the end marker is in before
 * any delta is taken) and then keeps the body open.
 */
const heldOpen = (content: string) =>
  countingServer(() => ({
    pieces: [encoder.encode(chatCompletionStream({ content }))],
    gapMs: 0,
    after: { openMs: 10_000 },
  }));

Deno.test("after its end marker a stream waits for the body's end 100 ms at most, not timed in its stats, and an abort meanwhile changes nothing", async () => {
  await using server = heldOpen("all of it");
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  for (const abort of [false, true]) {
    const controller = new AbortController();
    const started = performance.now();
    const stream = client.streamResponse(ask, { signal: controller.signal });
    let got = "";
    let thrown: unknown;
    const iterator = stream[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        got += next.value.content ?? "";
        // Every delta is in: the caller aborts before its last next().
        if (abort && got === "all of it") controller.abort(new Error("late"));
      }
    } catch (error) {
      thrown = error;
    }
    const elapsed = performance.now() - started;
    assert.equal(thrown, undefined, `abort ${abort}: ${thrown}`);
    assert.equal(got, "all of it");
    const completion: ChatCompletion = await stream.completion();
    assert.equal(completion.incomplete, undefined);
    assert.ok(elapsed < 2000, `ended after ${Math.round(elapsed)} ms`);
    if (!abort) {
      // The wait is not the server's answer: the stats end at the marker.
      assert.ok(
        elapsed - completion.stats!.totalMs >= 80,
        `${Math.round(elapsed)} ms, totalMs ${completion.stats!.totalMs}`,
      );
    }
  }
  await waitFor(() => server.stats.cancelled === 2, 100);
  assert.equal(server.stats.cancelled, 2, "the client let go of both bodies");
});

Deno.test("after its end marker a stream reads at most 64 KiB more before letting the body go", async () => {
  await using server = countingServer(() => ({
    pieces: [encoder.encode(chatCompletionStream({ content: "done" }))],
    gapMs: 0,
    after: { junk: true },
  }));
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const started = performance.now();
  const completion = await client.streamResponse(ask).completion();
  assert.equal(completion.choices[0].message.content, "done");
  assert.ok(performance.now() - started < 2000);
  await waitFor(() => server.stats.cancelled === 1, 100);
  assert.equal(server.stats.cancelled, 1);
  assert.ok(
    server.stats.junkBytes < 1024 * 1024,
    `${server.stats.junkBytes} bytes of junk sent before the client let go`,
  );
});

Deno.test("a caller that leaves after the last delta, with the body's end still to come, gets the whole answer", async () => {
  await using server = heldOpen("whole");
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const stream = client.streamResponse(ask);
  let got = "";
  for await (const delta of stream) {
    got += delta.content ?? "";
    if (delta.finishReason) break;
  }
  const completion = await stream.completion();
  assert.equal(got, "whole");
  assert.equal(completion.incomplete, undefined);
  assert.equal(completion.choices[0].finish_reason, "stop");
  await waitFor(() => server.stats.cancelled === 1, 100);
  assert.equal(server.stats.cancelled, 1);
});

Deno.test("a stream cut short by its caller still closes its connection: the server must stop generating", async () => {
  await using server = countingServer(() => ({
    pieces: piecesOf(
      chatCompletionStream({ content: "a b c d e f g h i j k l" }),
      false,
    ),
    gapMs: 20,
  }));
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  for (let i = 0; i < 3; i++) {
    for await (const _ of client.streamResponse(ask)) break;
  }
  // Each request left mid-answer: its connection is closed, so a new one each time.
  await waitFor(() => server.stats.cancelled === 3, 100);
  assert.equal(server.ports.size, 3);
  assert.equal(server.stats.cancelled, 3);
});
