/**
 * One contender, in a fresh process: reads a benchmark stream once and
 * prints `{ ms, peakRssMb }` as JSON, after checking that it found every
 * character of content, reasoning and tool-call arguments. With `ttft`, it
 * makes 200 sequential requests of a one-event stream and prints the median
 * time to first delta (`floor`: raw fetch to its first text; `signal`: the
 * same with an `AbortController`'s signal given to `fetch`, as a client that
 * can be cancelled does; `timer`: raw fetch with one timer set and cleared
 * around each request; `guarded`: both, as a client that can be cancelled
 * and times out with a timer per request does). With `ttft-mixed` and
 * several of those, comma-separated, they take turns request by request
 * (600 rounds after 100 of warming up) and it prints each one's median.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 --allow-read --allow-env bench/streaming/contender.ts plain http://127.0.0.1:PORT/vllm-both/bulk vllm-both 1200,500,0
 * ```
 *
 * @module
 */

import OpenAI from "npm:openai@^7.57.0";
import { EventSourceParserStream } from "npm:eventsource-parser@^4.1.3/stream";
import { GptOssClient } from "../../mod.ts";
import { isNdjson, type Shape } from "./shapes.ts";

const [which, baseUrl, shape, expected, mode] = Deno.args as [
  string,
  string,
  Shape,
  string,
  string | undefined,
];
const ask = [{ role: "user" as const, content: "Tell me a story." }];
const ndjson = isNdjson(shape);
const path = ndjson ? "/api/chat" : "/v1/chat/completions";

interface Found {
  content: number;
  reasoning: number;
  arguments: number;
}
type Reader = () => Promise<Found>;

/** What a plain reader takes from a chunk's delta (one reasoning field, as a client must). */
function fromDelta(delta: Record<string, unknown> | undefined, found: Found) {
  if (!delta) return;
  const content = delta.content;
  if (typeof content === "string") found.content += content.length;
  const reasoning = delta.reasoning || delta.reasoning_content;
  if (typeof reasoning === "string") found.reasoning += reasoning.length;
  const calls = delta.tool_calls as
    | { function?: { arguments?: string } }[]
    | undefined;
  for (const call of calls ?? []) {
    found.arguments += call.function?.arguments?.length ?? 0;
  }
}

const post = (signal?: AbortSignal) =>
  fetch(`${baseUrl}${path}`, { method: "POST", body: "{}", signal });
const none = (): Found => ({ content: 0, reasoning: 0, arguments: 0 });

const contenders: Record<string, Reader> = {
  // The floor: the bytes, decoded, counted.
  async floor() {
    const response = await post();
    let characters = 0;
    for await (
      const text of response.body!.pipeThrough(new TextDecoderStream())
    ) characters += text.length;
    return { content: characters, reasoning: -1, arguments: -1 };
  },
  async client() {
    const client = new GptOssClient({
      baseUrl,
      model: "openai/gpt-oss-20b",
      maxRetries: 0,
      ...(ndjson ? { api: "ollama" as const } : {}),
    });
    const found = none();
    for await (const delta of client.streamResponse(ask)) {
      if (delta.content) found.content += delta.content.length;
      if (delta.reasoning) found.reasoning += delta.reasoning.length;
      for (const call of delta.toolCalls ?? []) {
        found.arguments += call.function?.arguments?.length ?? 0;
      }
    }
    return found;
  },
  // A plain client: split the lines, JSON.parse every event.
  async plain() {
    const response = await post();
    const found = none();
    let rest = "";
    const take = (line: string) => {
      if (ndjson) {
        if (!line) return;
        const message = JSON.parse(line).message;
        if (message) {
          found.content += message.content?.length ?? 0;
          found.reasoning += message.thinking?.length ?? 0;
        }
        return;
      }
      if (!line.startsWith("data: ")) return;
      const data = line.slice(6);
      if (data === "[DONE]") return;
      fromDelta(JSON.parse(data).choices[0]?.delta, found);
    };
    for await (
      const text of response.body!.pipeThrough(new TextDecoderStream())
    ) {
      const lines = (rest + text).split("\n");
      rest = lines.pop()!;
      for (const line of lines) take(line);
    }
    take(rest);
    return found;
  },
  async openai() {
    const client = new OpenAI({
      baseURL: `${baseUrl}/v1`,
      apiKey: "none",
      maxRetries: 0,
    });
    const stream = await client.chat.completions.create({
      model: "openai/gpt-oss-20b",
      messages: ask,
      stream: true,
    });
    const found = none();
    for await (const chunk of stream) {
      fromDelta(
        chunk.choices[0]?.delta as Record<string, unknown> | undefined,
        found,
      );
    }
    return found;
  },
  async "eventsource-parser"() {
    const response = await post();
    const events = response.body!.pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    const found = none();
    for await (const event of events) {
      if (event.data === "[DONE]") break;
      fromDelta(JSON.parse(event.data).choices[0]?.delta, found);
    }
    return found;
  },
};

function ignore(): void {}

const read = contenders[which];
const TTFT_CONTENDERS = ["floor", "signal", "timer", "guarded", "client"];
// "ttft-mixed": several contenders, comma-separated, in one process.
const mixed = mode === "ttft-mixed" ? which.split(",") : [which];
if (
  mode?.startsWith("ttft")
    ? !mixed.every((c) => TTFT_CONTENDERS.includes(c))
    : !read
) {
  throw new Error(`unknown contender ${which}`);
}

/** One request's time to its first delta (the floor: to its first decoded text). */
async function firstDelta(kind: string, client: GptOssClient): Promise<number> {
  const started = performance.now();
  if (kind === "client") {
    for await (const _ of client.streamResponse(ask)) break;
    return performance.now() - started;
  }
  // "timer": raw fetch with one timer set and cleared around it, as a
  // client that times a request out with a timer of its own does;
  // "signal" gives fetch a signal, as any client that can be cancelled
  // must; "guarded" does both.
  const timer = kind === "timer" || kind === "guarded"
    ? setTimeout(ignore, 60_000)
    : undefined;
  const signal = kind === "signal" || kind === "guarded"
    ? new AbortController().signal
    : undefined;
  const response = await post(signal);
  const reader = response.body!.pipeThrough(new TextDecoderStream())
    .getReader();
  await reader.read();
  const ms = performance.now() - started;
  clearTimeout(timer);
  await reader.cancel();
  return ms;
}

const medianOf = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (mode === "ttft" || mode === "ttft-mixed") {
  const client = new GptOssClient({
    baseUrl,
    model: "openai/gpt-oss-20b",
    maxRetries: 0,
  });
  if (mode === "ttft") {
    // 200 sequential requests of one contender.
    const times: number[] = [];
    for (let i = 0; i < 200; i++) times.push(await firstDelta(which, client));
    console.log(JSON.stringify({ ms: medianOf(times) }));
  } else {
    // The contenders take turns request by request, after 100 rounds of
    // warming up: what the machine does meanwhile falls on all of them.
    const times: Record<string, number[]> = {};
    for (let round = 0; round < 700; round++) {
      for (const kind of mixed) {
        const ms = await firstDelta(kind, client);
        if (round >= 100) (times[kind] ??= []).push(ms);
      }
    }
    const ms: Record<string, number> = {};
    for (const kind of mixed) ms[kind] = medianOf(times[kind]);
    console.log(JSON.stringify({ ms }));
  }
} else {
  let peak = Deno.memoryUsage().rss;
  const sampler = setInterval(
    () => peak = Math.max(peak, Deno.memoryUsage().rss),
    5,
  );
  const started = performance.now();
  const got = await read!();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  const want = expected.split(",").map(Number);
  const found = [got.content, got.reasoning, got.arguments];
  if (which !== "floor" && found.join() !== want.join()) {
    throw new Error(
      `${which} read ${found.join("/")} characters of ${shape}, expected ${
        want.join("/")
      }`,
    );
  }
  console.log(
    JSON.stringify({ ms, peakRssMb: peak / 1e6, characters: got.content }),
  );
}
