/**
 * Stream an answer: the reasoning to stderr as it arrives, the answer to stdout.
 *
 *   deno run --allow-net --allow-env examples/streaming.ts "Why is the sky blue?"
 *
 * Uses the server in GPT_OSS_BASE_URL (default http://localhost:8000).
 */
import { GptOssClient } from "@gptoss/client";

const client = new GptOssClient({
  baseUrl: Deno.env.get("GPT_OSS_BASE_URL") ?? "http://localhost:8000",
  apiKey: Deno.env.get("GPT_OSS_API_KEY"),
  model: Deno.env.get("GPT_OSS_MODEL"),
});

const question = Deno.args.join(" ") || "Why is the sky blue?";
const encoder = new TextEncoder();
const stream = client.streamResponse([{ role: "user", content: question }]);

for await (const delta of stream) {
  if (delta.reasoning) await Deno.stderr.write(encoder.encode(delta.reasoning));
  if (delta.content) await Deno.stdout.write(encoder.encode(delta.content));
}

const completion = await stream.completion();
console.log(
  `\n[finish: ${completion.choices[0].finish_reason}, tokens: ${
    completion.usage?.total_tokens ?? "?"
  }]`,
);
