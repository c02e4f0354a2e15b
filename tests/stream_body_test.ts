import assert from "node:assert/strict";
import { GptOssClient } from "../mod.ts";
import { SseParser } from "../src/stream/sse.ts";
import { chatCompletionStream, startMockServer } from "../testing/mod.ts";
import { waitFor } from "./_helpers.ts";

const ask = [{ role: "user" as const, content: "Hi" }];
const answer = {
  reasoning: "The user says hi. Reply briefly.",
  content: "Hello! How can I help?",
  usage: { prompt_tokens: 70, completion_tokens: 15, total_tokens: 85 },
};

function client(url: string) {
  return new GptOssClient({ baseUrl: url, model: "m", maxRetries: 0 });
}

/** Every NDJSON line of a body, parsed; fails on a line that is not JSON. */
async function ndjsonLines(
  body: ReadableStream<Uint8Array>,
): Promise<Record<string, unknown>[]> {
  const text = await new Response(body).text();
  assert.ok(text.endsWith("\n"), "the body ends with a line end");
  return text.slice(0, -1).split("\n").map((line) => JSON.parse(line));
}

function joined(lines: Record<string, unknown>[], key: string): string {
  return lines.map((line) => line[key] ?? "").join("");
}

Deno.test("toReadableStream() as NDJSON: reasoning and content lines apart, then one last line with finish reason and usage", async () => {
  await using server = await startMockServer();
  server.enqueue({ sse: chatCompletionStream(answer), writes: "event" });
  const lines = await ndjsonLines(
    client(server.url).streamResponse(ask).toReadableStream(),
  );
  const last = lines.pop()!;
  assert.deepEqual(last, {
    done: true,
    finishReason: "stop",
    usage: answer.usage,
  });
  assert.ok(lines.length > 4, "one line per delta, not one for the whole");
  for (const line of lines) {
    assert.deepEqual(
      Object.keys(line).filter((k) => k !== "reasoning" && k !== "content"),
      [],
    );
  }
  assert.equal(joined(lines, "reasoning"), answer.reasoning);
  assert.equal(joined(lines, "content"), answer.content);
  // Reasoning comes first, as the model wrote it.
  const firstContent = lines.findIndex((line) => "content" in line);
  assert.ok(lines.slice(0, firstContent).every((line) => "reasoning" in line));
});

Deno.test("toReadableStream('sse'): delta events, then a done event, readable by an event-stream parser", async () => {
  await using server = await startMockServer();
  server.enqueue({ sse: chatCompletionStream(answer), writes: 7 });
  const events: { data: string; event: string }[] = [];
  const parser = new SseParser((data, event) => events.push({ data, event }));
  for await (
    const text of client(server.url).streamResponse(ask).toReadableStream("sse")
      .pipeThrough(new TextDecoderStream())
  ) parser.feed(text);
  const last = events.pop()!;
  assert.equal(last.event, "done");
  assert.deepEqual(JSON.parse(last.data), {
    finishReason: "stop",
    usage: answer.usage,
  });
  assert.ok(events.every((event) => event.event === "delta"));
  const deltas = events.map((event) => JSON.parse(event.data));
  assert.equal(joined(deltas, "reasoning"), answer.reasoning);
  assert.equal(joined(deltas, "content"), answer.content);
});

Deno.test("toReadableStream() passes tool calls through and ends with finish reason tool_calls", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream({
      reasoning: "Need the weather.",
      toolCalls: [{
        id: "c1",
        name: "get_weather",
        arguments: '{"city":"Oslo"}',
      }],
      finishReason: "tool_calls",
    }),
    writes: "event",
  });
  const lines = await ndjsonLines(
    client(server.url).streamResponse(ask).toReadableStream(),
  );
  assert.equal(lines.at(-1)!.finishReason, "tool_calls");
  const calls = lines.flatMap((line) =>
    (line.toolCalls as { function?: { arguments?: string } }[] | undefined) ??
      []
  );
  assert.ok(calls.length > 0);
  assert.equal(
    calls.map((call) => call.function?.arguments ?? "").join(""),
    '{"city":"Oslo"}',
  );
});

Deno.test("toReadableStream() on a connection broken mid-answer: what arrived, then an error line marked incomplete", async () => {
  await using server = await startMockServer();
  const full = chatCompletionStream(answer);
  server.enqueue({
    sse: full,
    writes: "event",
    resetAfterBytes: full.indexOf('"content":" How'),
  });
  const lines = await ndjsonLines(
    client(server.url).streamResponse(ask).toReadableStream(),
  );
  const last = lines.pop()!;
  assert.equal(last.incomplete, true);
  const error = last.error as { name: string; message: string };
  assert.equal(error.name, "ConnectionError");
  assert.match(error.message, /\S/);
  assert.equal(joined(lines, "reasoning"), answer.reasoning);
  assert.equal(joined(lines, "content"), "Hello!");
});

Deno.test("toReadableStream() on a server error: one error line with the typed error's name and message", async () => {
  await using server = await startMockServer();
  server.enqueue({ status: 404, json: { error: "model 'm' not found" } });
  const lines = await ndjsonLines(
    client(server.url).streamResponse(ask).toReadableStream(),
  );
  assert.equal(lines.length, 1);
  const error = lines[0].error as { name: string; message: string };
  assert.equal(error.name, "ApiError");
  assert.match(error.message, /model 'm' not found/);
  assert.equal(lines[0].incomplete, true);
});

Deno.test("cancelling the body cancels the request to the model, and the completion keeps what arrived", async () => {
  await using server = await startMockServer();
  server.enqueue({
    sse: chatCompletionStream(answer),
    writes: "event",
    delayMs: 20,
  });
  const stream = client(server.url).streamResponse(ask);
  const reader = stream.toReadableStream().getReader();
  const first = await reader.read();
  assert.deepEqual(JSON.parse(new TextDecoder().decode(first.value)), {
    reasoning: "The",
  });
  await reader.cancel();
  const completion = await stream.completion();
  assert.equal(completion.incomplete, true);
  assert.equal(completion.choices[0].message.reasoning, "The");
  await waitFor(() => server.requests[0].cancelled);
  assert.equal(server.requests[0].cancelled, true);
});

Deno.test("toReadableStream() on a stream that ends without [DONE]: what arrived, then a typed error marked incomplete", async () => {
  await using server = await startMockServer();
  const full = chatCompletionStream(answer);
  server.enqueue({ sse: full.slice(0, full.indexOf('"content":" How')) });
  const lines = await ndjsonLines(
    client(server.url).streamResponse(ask).toReadableStream(),
  );
  const last = lines.pop()!;
  assert.equal(last.done, undefined);
  assert.equal(last.incomplete, true);
  assert.equal((last.error as { name: string }).name, "InvalidResponseError");
  assert.equal(joined(lines, "reasoning"), answer.reasoning);
  assert.equal(joined(lines, "content"), "Hello!");
});
