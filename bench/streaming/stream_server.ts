/**
 * A local server that replays the benchmark's streams (shapes.ts): each
 * body built once, sent in 16 KiB writes (`bulk`) or one event per write
 * (`event`), at `/<name>/<framing>/v1/chat/completions` (and
 * `/<name>/<framing>/api/chat` for Ollama's native API).
 *
 * @module
 */

import { isNdjson, type Shape, shapedStream } from "./shapes.ts";

/** How the body is cut into writes. */
export type Framing = "bulk" | "event";

/** A stream ready to serve, and what a correct reader must find in it. */
export interface StreamBody {
  shape: Shape;
  events: Uint8Array[];
  bulk: Uint8Array[];
  /** UTF-16 code units of content, reasoning and tool-call arguments. */
  content: number;
  reasoning: number;
  arguments: number;
  /** Bytes in all. */
  bytes: number;
}

/** Builds the body of `n` events of a shape. */
export function buildStream(shape: Shape, n: number): StreamBody {
  const encoder = new TextEncoder();
  const stream = shapedStream(shape, n);
  const events = stream.events.map((e) => encoder.encode(e));
  const bytes = events.reduce((s, e) => s + e.length, 0);
  const all = new Uint8Array(bytes);
  let at = 0;
  for (const e of events) {
    all.set(e, at);
    at += e.length;
  }
  const bulk: Uint8Array[] = [];
  for (let from = 0; from < bytes; from += 16 * 1024) {
    bulk.push(all.subarray(from, from + 16 * 1024));
  }
  return {
    shape,
    events,
    bulk,
    content: stream.content,
    reasoning: stream.reasoning,
    arguments: stream.arguments,
    bytes,
  };
}

/**
 * Builds the stream for the time to the first delta: one event that carries
 * the role and the first piece of the answer, then the finish and `[DONE]`,
 * so that the first write holds the first delta for every contender.
 */
export function buildFirstDeltaStream(): StreamBody {
  const encoder = new TextEncoder();
  const head =
    `{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1764000000,"model":"openai/gpt-oss-20b","choices":`;
  const events = [
    `data: ${head}[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}\n\n`,
    `data: ${head}[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`,
    "data: [DONE]\n\n",
  ].map((e) => encoder.encode(e));
  return {
    shape: "vllm-legacy",
    events,
    bulk: events,
    content: 2,
    reasoning: 0,
    arguments: 0,
    bytes: events.reduce((s, e) => s + e.length, 0),
  };
}

/**
 * Serves the streams (any method and body) and `/v1/models` with one model.
 *
 * @returns The base URL and a function that stops the server.
 */
export function serveStream(
  bodies: Record<string, StreamBody>,
): { url: string; close(): Promise<void> } {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const url = new URL(request.url);
      await request.body?.cancel();
      if (url.pathname.endsWith("/v1/models")) {
        return Response.json({
          object: "list",
          data: [{
            id: "openai/gpt-oss-20b",
            object: "model",
            owned_by: "bench",
          }],
        });
      }
      const [, name, framing] = url.pathname.split("/");
      const body = bodies[name];
      if (!body) return new Response("unknown stream", { status: 404 });
      const pieces = framing === "event" ? body.events : body.bulk;
      let i = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (i < pieces.length) controller.enqueue(pieces[i++]);
            else controller.close();
          },
        }),
        {
          headers: {
            "content-type": isNdjson(body.shape)
              ? "application/x-ndjson"
              : "text/event-stream",
            "cache-control": "no-cache",
          },
        },
      );
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    close: () => server.shutdown(),
  };
}
