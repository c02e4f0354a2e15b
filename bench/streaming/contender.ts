/**
 * One contender, in a fresh process: reads the benchmark stream once and
 * prints `{ ms, peakRssMb }` as JSON, after checking that it found every
 * character of content and reasoning. With `ttft`, it makes 200 sequential
 * requests of a one-event stream and prints the median time to first delta.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 --allow-read --allow-env bench/streaming/contender.ts floor http://127.0.0.1:PORT/100000/bulk CONTENT REASONING
 * ```
 *
 * @module
 */

import OpenAI from "npm:openai@^7.57.0";
import { EventSourceParserStream } from "npm:eventsource-parser@^4.1.3/stream";
import { GptOssClient } from "../../mod.ts";

const [which, baseUrl, content, reasoning, mode] = Deno.args;
const ask = [{ role: "user" as const, content: "Tell me a story." }];

type Reader = () => Promise<{ content: number; reasoning: number }>;

const contenders: Record<string, Reader> = {
  // The floor: the bytes, decoded, counted.
  async floor() {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: "POST",
      body: "{}",
    });
    let characters = 0;
    for await (
      const text of response.body!.pipeThrough(new TextDecoderStream())
    ) characters += text.length;
    return { content: characters, reasoning: -1 };
  },
  async client() {
    const client = new GptOssClient({
      baseUrl,
      model: "openai/gpt-oss-20b",
      maxRetries: 0,
    });
    let c = 0;
    let r = 0;
    for await (const delta of client.streamResponse(ask)) {
      if (delta.content) c += delta.content.length;
      if (delta.reasoning) r += delta.reasoning.length;
    }
    return { content: c, reasoning: r };
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
    let c = 0;
    let r = 0;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as {
        content?: string;
        reasoning_content?: string;
      } | undefined;
      if (delta?.content) c += delta.content.length;
      if (delta?.reasoning_content) r += delta.reasoning_content.length;
    }
    return { content: c, reasoning: r };
  },
  async "eventsource-parser"() {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: "POST",
      body: "{}",
    });
    const events = response.body!.pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    let c = 0;
    let r = 0;
    for await (const event of events) {
      if (event.data === "[DONE]") break;
      const delta = JSON.parse(event.data).choices[0]?.delta;
      if (delta?.content) c += delta.content.length;
      if (delta?.reasoning_content) r += delta.reasoning_content.length;
    }
    return { content: c, reasoning: r };
  },
};

const read = contenders[which];
if (!read) throw new Error(`unknown contender ${which}`);

if (mode === "ttft") {
  // Time to the first delta (the floor: to the first decoded text).
  const times: number[] = [];
  const client = new GptOssClient({
    baseUrl,
    model: "openai/gpt-oss-20b",
    maxRetries: 0,
  });
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    if (which === "floor") {
      const response = await fetch(`${baseUrl}/v1/chat/completions`, {
        method: "POST",
        body: "{}",
      });
      const reader = response.body!.pipeThrough(new TextDecoderStream())
        .getReader();
      await reader.read();
      times.push(performance.now() - started);
      await reader.cancel();
    } else {
      const stream = client.streamResponse(ask);
      for await (const _ of stream) {
        times.push(performance.now() - started);
        break;
      }
    }
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ ms: times[100] }));
} else {
  let peak = Deno.memoryUsage().rss;
  const sampler = setInterval(
    () => peak = Math.max(peak, Deno.memoryUsage().rss),
    5,
  );
  const started = performance.now();
  const got = await read();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  if (
    which !== "floor" &&
    (got.content !== Number(content) || got.reasoning !== Number(reasoning))
  ) {
    throw new Error(
      `${which} read ${got.content}/${got.reasoning} characters, expected ${content}/${reasoning}`,
    );
  }
  console.log(
    JSON.stringify({ ms, peakRssMb: peak / 1e6, characters: got.content }),
  );
}
