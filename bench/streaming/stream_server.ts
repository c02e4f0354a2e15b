/**
 * A local server that streams a gpt-oss-shaped chat completion, vLLM style:
 * a role chunk, reasoning deltas, content deltas of 1 to 6 characters with
 * JSON escapes and non-ASCII text, a finish chunk, a usage chunk and
 * `[DONE]`. The body is built once; each request replays it in 16 KiB writes
 * (`bulk`) or one event per write (`event`).
 *
 * @module
 */

/** How the body is cut into writes. */
export type Framing = "bulk" | "event";

/** The stream and what a correct reader must find in it. */
export interface StreamBody {
  events: Uint8Array[];
  bulk: Uint8Array[];
  /** Characters (UTF-16 code units) of content and of reasoning. */
  contentLength: number;
  reasoningLength: number;
}

const PIECES = [
  "a",
  "the",
  " word",
  "é",
  "\u65e5\u672c",
  "\u{1F600}",
  ' "q"',
  "\\n",
  "line\n",
  "\t",
  "x=1;",
  "caf\u00e9",
];

/** The fields every chunk of the benchmark streams carries. */
const head = {
  id: "chatcmpl-bench",
  object: "chat.completion.chunk",
  created: 1764000000,
  model: "openai/gpt-oss-20b",
};

/** Builds the body of `n` events (about 30% reasoning, the rest content). */
export function buildStream(n: number): StreamBody {
  const encoder = new TextEncoder();
  const event = (choice: unknown, extra: Record<string, unknown> = {}) =>
    encoder.encode(
      `data: ${JSON.stringify({ ...head, choices: [choice], ...extra })}\n\n`,
    );
  const events: Uint8Array[] = [];
  let contentLength = 0;
  let reasoningLength = 0;
  events.push(
    event({
      index: 0,
      delta: { role: "assistant", content: "" },
      finish_reason: null,
    }),
  );
  let seed = 7;
  const next = () =>
    (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < n - 4; i++) {
    let text = "";
    const size = 1 + Math.floor(next() * 6);
    while (text.length < size) {
      text += PIECES[Math.floor(next() * PIECES.length)];
    }
    text = [...text].slice(0, size).join("");
    if (i < (n - 4) * 0.3) {
      reasoningLength += text.length;
      events.push(
        event({
          index: 0,
          delta: { reasoning_content: text },
          finish_reason: null,
        }),
      );
    } else {
      contentLength += text.length;
      events.push(
        event({ index: 0, delta: { content: text }, finish_reason: null }),
      );
    }
  }
  events.push(event({ index: 0, delta: {}, finish_reason: "stop" }));
  events.push(encoder.encode(
    `data: ${
      JSON.stringify({
        ...head,
        choices: [],
        usage: {
          prompt_tokens: 80,
          completion_tokens: n - 4,
          total_tokens: n + 76,
        },
      })
    }\n\n`,
  ));
  events.push(encoder.encode("data: [DONE]\n\n"));
  // 16 KiB writes.
  const total = events.reduce((s, e) => s + e.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const e of events) {
    all.set(e, at);
    at += e.length;
  }
  const bulk: Uint8Array[] = [];
  for (let from = 0; from < total; from += 16 * 1024) {
    bulk.push(all.subarray(from, from + 16 * 1024));
  }
  return { events, bulk, contentLength, reasoningLength };
}

/**
 * Builds the stream for the time to the first delta: one event that carries
 * the role and the first piece of the answer, then the finish and `[DONE]`,
 * so that the first write holds the first delta for every contender.
 */
export function buildFirstDeltaStream(): StreamBody {
  const encoder = new TextEncoder();
  const events = [
    {
      index: 0,
      delta: { role: "assistant", content: "Hi" },
      finish_reason: null,
    },
    { index: 0, delta: {}, finish_reason: "stop" },
  ].map((choice) =>
    encoder.encode(
      `data: ${JSON.stringify({ ...head, choices: [choice] })}\n\n`,
    )
  );
  events.push(encoder.encode("data: [DONE]\n\n"));
  return { events, bulk: events, contentLength: 2, reasoningLength: 0 };
}

/**
 * Serves `/v1/chat/completions` (any method and body) with the stream, and
 * `/v1/models` with one model.
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
      // /<size>/<framing>/v1/chat/completions
      const [, size, framing] = url.pathname.split("/");
      const body = bodies[size];
      if (!body) return new Response("unknown size", { status: 404 });
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
            "content-type": "text/event-stream",
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
