import assert from "node:assert/strict";
import {
  ApiError,
  ContextSizeError,
  InvalidResponseError,
  type StreamDelta,
} from "../mod.ts";
import { ChatEventDecoder } from "../src/api/chat/event_decoder.ts";
import { chatCompletionStream, sseEvent } from "../testing/mod.ts";
import { byteStream, loadFixture, splitAt } from "./_helpers.ts";

/** Decodes bytes that arrive in the given pieces, as the client does. */
async function decode(pieces: Uint8Array[]) {
  const decoder = new ChatEventDecoder();
  const deltas: StreamDelta[] = [];
  const text = byteStream(pieces).pipeThrough(new TextDecoderStream());
  for await (const piece of text) deltas.push(...decoder.feed(piece));
  const last = decoder.flush();
  deltas.push(...last);
  return {
    deltas,
    ended: decoder.end(),
    completion: decoder.accumulator.result(),
  };
}

Deno.test("ChatEventDecoder() gives the same deltas for a real vLLM stream split at every byte", async () => {
  const fixture = await loadFixture("vllm_reasoning_content_stream.json");
  const bytes = new TextEncoder().encode(fixture.sse);
  const whole = await decode([bytes]);
  assert.deepEqual(whole.deltas.map((d) => d.reasoning), [
    " need",
    " to",
    " use",
    " the",
    " tool",
  ]);
  assert.equal(
    whole.completion.choices[0].message.reasoning,
    " need to use the tool",
  );
  assert.equal(whole.completion.model, "openai/gpt-oss-20b");
  // The capture stops mid-stream: no finish reason, no [DONE].
  assert.equal(whole.ended, false);
  for (let at = 0; at <= bytes.length; at++) {
    const split = await decode(splitAt(bytes, [at]));
    assert.deepEqual(split.deltas, whole.deltas, `split at byte ${at}`);
  }
});

Deno.test("ChatEventDecoder() keeps multi-byte characters whole however the bytes are split", async () => {
  const stream = chatCompletionStream({
    reasoningField: "reasoning_content",
    reasoning:
      '\u0421\u0447\u0438\u0442\u0430\u044e: \u4e09\u52a0\u4e09 \u{1F914} "quoted"\\n',
    content: "\u7b54\u3048\u306f 6 \u{1F44D} \u2014 done",
  }).replaceAll("\n", "\r\n");
  const bytes = new TextEncoder().encode(stream);
  const whole = await decode([bytes]);
  assert.equal(whole.ended, true);
  for (let at = 0; at <= bytes.length; at++) {
    const split = await decode(splitAt(bytes, [at]));
    assert.deepEqual(split.deltas, whole.deltas, `split at byte ${at}`);
  }
  const oneByteAtATime = await decode([...bytes].map((b) => Uint8Array.of(b)));
  assert.deepEqual(oneByteAtATime.completion, whole.completion);
  assert.equal(
    whole.completion.choices[0].message.content,
    "\u7b54\u3048\u306f 6 \u{1F44D} \u2014 done",
  );
});

Deno.test("ChatEventDecoder() stops at [DONE] and ignores anything after it", async () => {
  const text = chatCompletionStream({ content: "a b" }) +
    sseEvent({ choices: [{ delta: { content: "late" } }] });
  const { deltas, ended, completion } = await decode([
    new TextEncoder().encode(text),
  ]);
  assert.equal(ended, true);
  assert.equal(completion.choices[0].message.content, "a b");
  assert.equal(deltas.map((d) => d.content ?? "").join(""), "a b");
});

/** The failure a decoder ended with, after feeding it `text`. */
function failureOf(decoder: ChatEventDecoder, text: string): unknown {
  decoder.feed(text);
  return decoder.failure;
}

Deno.test("ChatEventDecoder() ends with an error event sent inside a 200 stream as a typed error, after the deltas before it", () => {
  const decoder = new ChatEventDecoder({ splitHarmony: false });
  const before = [...decoder.feed(
    sseEvent({ id: "x", choices: [{ index: 0, delta: { content: "Hel" } }] }),
  )];
  const same = [...decoder.feed(
    sseEvent({ choices: [{ index: 0, delta: { content: "lo" } }] }) +
      sseEvent({
        error: { message: "engine died", type: "server_error", code: 500 },
      }) +
      sseEvent({ choices: [{ index: 0, delta: { content: " late" } }] }),
  )];
  assert.deepEqual(before, [{ content: "Hel" }]);
  assert.deepEqual(
    same,
    [{ content: "lo" }],
    "the delta before the error in the same piece is kept, none after",
  );
  const error = decoder.failure;
  assert.ok(
    error instanceof ApiError && error.serverMessage === "engine died" &&
      error.status === 200,
  );
  assert.deepEqual(
    decoder.feed(sseEvent({ choices: [] })),
    [],
    "nothing is read after a failure",
  );
  assert.equal(
    decoder.accumulator.result(true).choices[0].message.content,
    "Hello",
  );
  assert.ok(
    failureOf(
      new ChatEventDecoder(),
      `event: error\ndata: {"message":"boom"}\n\n`,
    ) instanceof ApiError,
  );
});

Deno.test("ChatEventDecoder() turns a context-length error event into ContextSizeError", () => {
  const decoder = new ChatEventDecoder();
  const event = sseEvent({
    error: {
      code: 400,
      message:
        "request (9000 tokens) exceeds the available context size (8192 tokens), try increasing it",
      type: "exceed_context_size_error",
      n_prompt_tokens: 9000,
      n_ctx: 8192,
    },
  });
  const error = failureOf(decoder, event);
  assert.ok(
    error instanceof ContextSizeError && error.promptTokens === 9000 &&
      error.maxContextSize === 8192,
  );
});

Deno.test("ChatEventDecoder() rejects an event that is not JSON, keeping the event text", () => {
  const error = failureOf(
    new ChatEventDecoder(),
    'data: {"choices":[{"delta":{"content":"cut off\n\n',
  );
  assert.ok(
    error instanceof InvalidResponseError &&
      error.body!.startsWith('{"choices"'),
  );
});

Deno.test("ChatEventDecoder() skips JSON objects that are neither chunks nor errors", async () => {
  const text = sseEvent({ object: "keepalive" }) +
    chatCompletionStream({ content: "ok" });
  const { completion, ended } = await decode([new TextEncoder().encode(text)]);
  assert.equal(ended, true);
  assert.equal(completion.choices[0].message.content, "ok");
});
