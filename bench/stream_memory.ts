/**
 * Streams one million deltas through one client and samples the heap: what
 * the client keeps should be the answer's text (it assembles the completion),
 * not a growing pile of per-delta objects.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 --v8-flags=--expose-gc bench/stream_memory.ts [deltas]
 * ```
 *
 * @module
 */

import { GptOssClient } from "../mod.ts";

const total = Number(Deno.args[0] ?? 1_000_000);
const encoder = new TextEncoder();
const token = "tok "; // four characters per delta
const event = (i: number) =>
  `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${token}"},"finish_reason":null}],"n":${i}}\n\n`;
const last =
  `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;

// A server that writes the events as they are read, 1,000 per write.
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  () => {
    let i = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i >= total) {
            controller.enqueue(encoder.encode(last));
            controller.close();
            return;
          }
          let batch = "";
          for (let k = 0; k < 1000 && i < total; k++) batch += event(i++);
          controller.enqueue(encoder.encode(batch));
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  },
);

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return Deno.memoryUsage().heapUsed;
};

const client = new GptOssClient({
  baseUrl: `http://127.0.0.1:${server.addr.port}`,
  model: "m",
});
const before = heap();
let deltas = 0;
const samples: string[] = [];
const started = performance.now();
const stream = client.streamResponse([{ role: "user", content: "go" }]);
for await (const _delta of stream) {
  deltas++;
  if (deltas % (total / 10) === 0) {
    const used = heap() - before;
    const text = deltas * token.length; // V8 keeps ASCII at one byte per character
    samples.push(
      `| ${deltas.toLocaleString("en")} | ${(used / 1e6).toFixed(1)} MB | ${
        (text / 1e6).toFixed(1)
      } MB | ${(used / deltas).toFixed(1)} B |`,
    );
  }
}
const completion = await stream.completion();
const seconds = (performance.now() - started) / 1000;
await server.shutdown();

console.log(
  `${deltas} deltas in ${seconds.toFixed(1)} s (${
    Math.round(deltas / seconds)
  } per second); gc ${gc ? "forced before each sample" : "not exposed"}.`,
);
console.log(
  `Answer: ${completion.choices[0].message.content!.length} characters.\n`,
);
console.log("| Deltas | Heap growth | The text itself | Growth per delta |");
console.log("| ---: | ---: | ---: | ---: |");
for (const line of samples) console.log(line);
