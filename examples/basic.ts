/**
 * Ask one question and print the reasoning and the answer.
 *
 *   deno run --allow-net --allow-env examples/basic.ts
 *
 * Uses the server in GPT_OSS_BASE_URL (default http://localhost:8000).
 */
import { GptOssClient } from "@gptoss/client";

const client = new GptOssClient({
  baseUrl: Deno.env.get("GPT_OSS_BASE_URL") ?? "http://localhost:8000",
  apiKey: Deno.env.get("GPT_OSS_API_KEY"),
  model: Deno.env.get("GPT_OSS_MODEL"),
});

if (!await client.testConnection()) {
  console.error(
    "No server answers at",
    client.settings.baseUrl,
    "- set GPT_OSS_BASE_URL.",
  );
  Deno.exit(1);
}

const completion = await client.generateResponse([
  { role: "system", content: "You are a concise assistant." },
  { role: "user", content: "In one sentence: what is a context window?" },
], { temperature: 0.2, maxTokens: 512 });

const { reasoning, content } = completion.choices[0].message;
console.log(`Reasoning: ${reasoning ?? "(none)"}`);
console.log(`Answer: ${content}`);
console.log(`Tokens: ${completion.usage?.total_tokens ?? "not reported"}`);
