/**
 * The streaming benchmark: the floor (fetch + TextDecoderStream), this
 * client, a plain client (split lines, `JSON.parse` every event),
 * eventsource-parser and the openai SDK each read a 100,000-event gpt-oss
 * stream of every server's shape (streaming/shapes.ts) in 16 KiB writes,
 * and one shape one event per write; each run is a fresh process,
 * contenders alternate, 5 runs each. Then the time to the first delta over
 * 200 sequential requests, against raw fetch, a fresh process per
 * contender; and again with the contenders taking turns request by request
 * in each of three processes. Ratios are computed within this run.
 *
 * ```sh
 * deno task bench:stream      # or: deno run -A bench/stream_bench.ts [events] [runs] [shape,shape]
 * ```
 *
 * @module
 */

import {
  buildFirstDeltaStream,
  buildStream,
  serveStream,
  type StreamBody,
} from "./streaming/stream_server.ts";
import { isNdjson, type Shape, SHAPES } from "./streaming/shapes.ts";

const events = Number(Deno.args[0] ?? 100_000);
const runs = Number(Deno.args[1] ?? 5);
const only = Deno.args[2]?.split(",") as Shape[] | undefined;
const shapes = only ?? SHAPES;
const peers = ["floor", "client", "plain", "eventsource-parser", "openai"];
const bodies: Record<string, StreamBody> = {};
for (const shape of shapes) bodies[shape] = buildStream(shape, events);
bodies.small = buildStream("vllm-reasoning", 4);
bodies.first = buildFirstDeltaStream();
const server = serveStream(bodies);
const script = new URL("./streaming/contender.ts", import.meta.url).pathname;
const found = (b: StreamBody) => [b.content, b.reasoning, b.arguments].join();

async function run<T = { ms: number; peakRssMb?: number }>(
  args: string[],
): Promise<T> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-env",
      script,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  if (code !== 0) {
    throw new Error(`${args[0]} failed: ${new TextDecoder().decode(stderr)}`);
  }
  return JSON.parse(text);
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number) => x.toFixed(x < 10 ? 2 : 0);

// Warm the module cache so that no run pays for downloads or compilation.
for (const which of peers) {
  await run([
    which,
    `${server.url}/small/bulk`,
    "vllm-reasoning",
    found(bodies.small),
  ]);
}

console.log(
  `${
    events.toLocaleString("en")
  } events per stream; ${runs} runs each, alternating, a fresh process each; Deno ${Deno.version.deno}, ${Deno.build.target}.\n`,
);

/** Runs the contenders on one stream and prints their table. */
async function compare(name: string, framing: "bulk" | "event", title: string) {
  const body = bodies[name];
  const contenders = isNdjson(body.shape)
    ? ["floor", "client", "plain"]
    : peers;
  const times: Record<string, number[]> = {};
  const rss: Record<string, number[]> = {};
  for (let r = 0; r < runs; r++) {
    for (const which of contenders) {
      const result = await run([
        which,
        `${server.url}/${name}/${framing}`,
        body.shape,
        found(body),
      ]);
      (times[which] ??= []).push(result.ms);
      (rss[which] ??= []).push(result.peakRssMb ?? 0);
    }
  }
  const floor = median(times.floor);
  const floorRss = median(rss.floor);
  console.log(`${title} (${(body.bytes / 1e6).toFixed(1)} MB):\n`);
  console.log(
    "| Contender | Median ms | Min–max ms | × floor | Peak RSS MB | RSS over floor MB |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const which of contenders) {
    const m = median(times[which]);
    console.log(
      `| ${which} | ${fmt(m)} | ${fmt(Math.min(...times[which]))}–${
        fmt(Math.max(...times[which]))
      } | ${(m / floor).toFixed(2)} | ${median(rss[which]).toFixed(0)} | ${
        (median(rss[which]) - floorRss).toFixed(1)
      } |`,
    );
  }
  console.log();
}

for (const shape of shapes) {
  await compare(shape, "bulk", `${shape}, 16 KiB writes`);
}
await compare(shapes[0], "event", `${shapes[0]}, one event per write`);

// Time to the first delta. The target's stream sends the first delta in its
// first event; a vLLM-style stream sends a role chunk first, so the client
// waits for a second write there while raw fetch stops at the first.
const ttftStreams = [
  ["first", "the first event carries the first delta (the target)"],
  ["small", "a role chunk first, the first delta in the second write"],
] as const;
const ttftContenders = ["floor", "signal", "timer", "guarded", "client"];
const ttftNames: Record<string, string> = {
  floor: "raw fetch",
  signal: "raw fetch, an abort signal",
  timer: "raw fetch, one timer set and cleared",
  guarded: "raw fetch, the timer and an abort signal",
  client: "client",
};
for (const [path, label] of ttftStreams) {
  const ttft: Record<string, number[]> = {};
  for (let r = 0; r < runs; r++) {
    for (const which of ttftContenders) {
      (ttft[which] ??= []).push(
        (await run([
          which,
          `${server.url}/${path}/event`,
          "vllm-reasoning",
          "0,0,0",
          "ttft",
        ])).ms,
      );
    }
  }
  console.log(
    `Time to first delta, 200 sequential requests, ${label} (median of the per-process medians):\n`,
  );
  console.log("| Contender | ms | × raw fetch |");
  console.log("| --- | ---: | ---: |");
  for (const which of ttftContenders) {
    const name = ttftNames[which];
    console.log(
      `| ${name} | ${median(ttft[which]).toFixed(3)} | ${
        (median(ttft[which]) / median(ttft.floor)).toFixed(2)
      } |`,
    );
  }
  console.log();
}
// The same, the contenders taking turns request by request within each
// process (600 rounds after 100 of warming up, 3 processes): the noise of
// the machine falls on all of them alike, which fresh processes one after
// the other cannot give.
for (const [path, label] of ttftStreams) {
  const perProcess: Record<string, number>[] = [];
  for (let r = 0; r < 3; r++) {
    const { ms } = await run<{ ms: Record<string, number> }>([
      ttftContenders.join(","),
      `${server.url}/${path}/event`,
      "vllm-reasoning",
      "0,0,0",
      "ttft-mixed",
    ]);
    perProcess.push(ms);
  }
  console.log(
    `Time to first delta, the contenders taking turns in each of 3 processes (600 requests each), ${label} (median of the process medians; each process's ratio):\n`,
  );
  console.log("| Contender | ms | × raw fetch | per process |");
  console.log("| --- | ---: | ---: | ---: |");
  const floorMs = median(perProcess.map((p) => p.floor));
  for (const which of ttftContenders) {
    const ms = median(perProcess.map((p) => p[which]));
    console.log(
      `| ${ttftNames[which]} | ${ms.toFixed(3)} | ${
        (ms / floorMs).toFixed(2)
      } | ${
        perProcess.map((p) => (p[which] / p.floor).toFixed(2)).join(", ")
      } |`,
    );
  }
  console.log();
}
await server.close();
