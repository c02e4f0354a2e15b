/**
 * Stream cases shared by the decoder's fuzz tests: the captured streams, what
 * decoding one gives, byte splits and mutations (fast-check arbitraries).
 */
import fc from "npm:fast-check@^4.3.0";
import { GptOssError, type StreamDelta } from "../mod.ts";
import {
  ChatEventDecoder,
  type EventDecoderOptions,
} from "../src/api/chat/event_decoder.ts";
import type { StreamDecoder } from "../src/stream/decoder.ts";
import { chatCompletionStream } from "../testing/mod.ts";
import { loadFixture } from "./_helpers.ts";

export { splitAt } from "./_helpers.ts";

const FIXTURES = [
  "llamacpp_error_event_context.json",
  "llamacpp_error_field_stream.json",
  "llamacpp_gptoss_stream.json",
  "llamacpp_gptoss_tool_stream.json",
  "llamacpp_stream_timings.json",
  "lmstudio_reasoning_content_stream.json",
  "ollama_tool_call_whole.json",
  "ollama_v1_stream.json",
  "ollama_v1_usage_chunk.json",
  "tool_call_fragments_stream.json",
  "vllm_reasoning_content_stream.json",
  "vllm_reasoning_field_event.json",
  "vllm_tool_call_fragments_stream.json",
];

const encoder = new TextEncoder();
/** Every captured stream, and two generated ones. */
export const streams: Uint8Array[] = [];
for (const name of FIXTURES) {
  streams.push(encoder.encode((await loadFixture(name)).sse!));
}
streams.push(
  encoder.encode(
    chatCompletionStream({
      reasoning: "Th\u00e9 plan \u{1F914}",
      content: "\u65e5\u672c answer",
    }),
  ),
  encoder.encode(
    chatCompletionStream({
      content:
        "<|channel|>analysis<|message|>think<|end|><|start|>assistant<|channel|>final<|message|>done",
    }),
  ),
);

/** What decoding gives: the deltas and the completion, or the error's class and message. */
export function outcome(
  pieces: Uint8Array[],
  options: EventDecoderOptions = {},
): string {
  return decoderOutcome(new ChatEventDecoder(options), pieces);
}

/** {@link outcome} for any wire API's decoder. */
export function decoderOutcome(
  decoder: StreamDecoder,
  pieces: Uint8Array[],
): string {
  const text = new TextDecoder();
  try {
    const deltas: string[] = [];
    const keep = (batch: StreamDelta[]) => {
      for (const delta of batch) deltas.push(JSON.stringify(delta));
    };
    for (const piece of pieces) {
      keep(decoder.feed(text.decode(piece, { stream: true })));
      if (decoder.done || decoder.failure) break;
    }
    if (!decoder.done && !decoder.failure) keep(decoder.feed(text.decode()));
    const last = decoder.flush();
    keep(last);
    if (decoder.failure) {
      // What arrived before the failure is part of the outcome.
      const { name, message } = decoder.failure;
      return JSON.stringify({ deltas, failure: `${name}: ${message}` });
    }
    // `created` falls back to the clock when no chunk carried it, and two
    // runs may straddle a second: it is left out of the comparison.
    return JSON.stringify(
      {
        deltas,
        ended: decoder.end(),
        completion: decoder.accumulator.result(true),
      },
      (key, value) => key === "created" ? undefined : value,
    );
  } catch (error) {
    // Only typed errors may come out; anything else fails the property.
    if (!(error instanceof GptOssError)) throw error;
    return `${error.name}: ${error.message}`;
  }
}

/** Where to split a stream. */
export const cuts = fc.array(fc.nat(), { maxLength: 40 });

// A mutation: insert noise, delete a range, repeat a range, or cut the stream.
const noise = fc.oneof(
  fc.constantFrom(
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    "data: ",
    "data:[DONE]",
    ":",
    "{",
    "}",
    '"',
    "\\",
    "event: error",
    "error: ",
  ),
  fc.uint8Array({ minLength: 1, maxLength: 6 }).map((b) =>
    String.fromCharCode(...b)
  ),
  fc.string({ maxLength: 8 }),
);
/** One mutation of a stream. */
export const mutation = fc.oneof(
  fc.record({ op: fc.constant("insert"), at: fc.nat(), text: noise }),
  fc.record({
    op: fc.constant("delete"),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    op: fc.constant("repeat"),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 80 }),
  }),
  fc.record({ op: fc.constant("cut"), at: fc.nat() }),
  fc.record({
    op: fc.constant("flip"),
    at: fc.nat(),
    byte: fc.nat({ max: 255 }),
  }),
);

export function mutate(
  bytes: Uint8Array,
  mutations: {
    op: string;
    at: number;
    text?: string;
    length?: number;
    byte?: number;
  }[],
): Uint8Array {
  let out = bytes;
  for (const m of mutations) {
    const at = m.at % (out.length + 1);
    if (m.op === "insert") {
      const extra = Uint8Array.from(m.text!, (c) => c.charCodeAt(0) & 0xff);
      out = new Uint8Array([
        ...out.subarray(0, at),
        ...extra,
        ...out.subarray(at),
      ]);
    } else if (m.op === "delete") {
      out = new Uint8Array([
        ...out.subarray(0, at),
        ...out.subarray(at + m.length!),
      ]);
    } else if (m.op === "repeat") {
      out = new Uint8Array([
        ...out.subarray(0, at + m.length!),
        ...out.subarray(at, at + m.length!),
        ...out.subarray(at + m.length!),
      ]);
    } else if (m.op === "cut") out = out.subarray(0, at);
    else if (at < out.length) {
      out = Uint8Array.from(out);
      out[at] = m.byte!;
    }
  }
  return out;
}
