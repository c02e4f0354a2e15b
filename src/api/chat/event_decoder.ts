/**
 * Decodes the text of a chat completion stream into deltas: SSE events, then
 * JSON chunks, then {@link StreamDelta}s, assembled along the way. It knows
 * the stream's end (`data: [DONE]`) and the error objects some servers send
 * inside a 200 stream.
 *
 * @module
 */

import { DecoderBase, parseEventObject } from "../../stream/decoder_base.ts";
import type { DecoderOptions } from "../../stream/decoder.ts";
import { deltaFromChoice, deltaFromChunk, isEmptyDelta } from "./chunk.ts";
import { ChunkTemplates } from "./chunk_template.ts";
import { errorFromBody, errorInBody } from "../../http/error_body.ts";
import { HarmonyDeltaSplitter } from "../../harmony/deltas.ts";
import { SseParser } from "../../stream/sse.ts";
import type { StreamDelta } from "../../types.ts";

const DONE = "[DONE]";
/** Where an error sent inside a stream comes from. */
const IN_STREAM = { status: 200, statusText: "error in stream" } as const;

/** Options of a {@link ChatEventDecoder}. */
export interface EventDecoderOptions extends Partial<DecoderOptions> {
  /**
   * Read events shaped like an earlier one without parsing them again
   * (chunk_template.ts). Default `true`; the results are the same.
   */
  templates?: boolean;
}

/** Decodes one stream; a failure ends it and is kept in {@link ChatEventDecoder.failure}. */
export class ChatEventDecoder extends DecoderBase {
  readonly #splitHarmony: boolean;
  readonly #harmony: HarmonyDeltaSplitter | undefined;
  readonly #harmonyOthers = new Map<number, HarmonyDeltaSplitter>();
  #sawFinish = false;
  readonly #parser: SseParser;
  readonly #templates: ChunkTemplates | undefined;

  /** @param options Whether to split raw harmony in `content`, and the longest event. */
  constructor(options: EventDecoderOptions = {}) {
    super();
    if (options.templates !== false) this.#templates = new ChunkTemplates();
    this.#parser = new SseParser(
      (data, event) => this.#onEvent(data, event),
      (field, value) => this.#onOtherField(field, value),
      options.maxEventLength,
      this.#templates &&
        ((text, from, limit) => this.#readAt(text, from, limit)),
    );
    this.#splitHarmony = options.splitHarmony !== false;
    if (this.#splitHarmony) this.#harmony = new HarmonyDeltaSplitter();
  }

  /** A one-line event read through a template where it sits in the text (see SseParser). */
  #readAt(text: string, from: number, limit: number): number {
    if (this.finished) return -1;
    const templates = this.#templates!;
    const delta = templates.matchAt(text, from, limit);
    if (delta === undefined) return -1;
    this.#take(delta, templates.record);
    if (templates.timings) this.accumulator.timingsFrom(templates.timings);
    return templates.nextAt;
  }

  /** Events read through a template, without parsing (for tests and benchmarks). */
  get templateHits(): number {
    return this.#templates?.hits ?? 0;
  }

  /** Of those, the events read where they sit in the text, not cut out first. */
  get templateHitsInPlace(): number {
    return this.#templates?.hitsInPlace ?? 0;
  }

  /** Reads SSE events; `data: [DONE]` ends the stream. */
  protected read(text: string): void {
    this.#parser.feed(text);
  }

  /** The harmony splitter of a choice, made on first use; none when splitting is off. */
  #splitter(choice: number | undefined): HarmonyDeltaSplitter | undefined {
    if (!this.#splitHarmony) return undefined;
    const index = choice ?? 0;
    if (index === 0) return this.#harmony;
    let splitter = this.#harmonyOthers.get(index);
    if (splitter === undefined) {
      splitter = new HarmonyDeltaSplitter();
      this.#harmonyOthers.set(index, splitter);
    }
    return splitter;
  }

  /**
   * Releases what the harmony splitters held back (a tail that could have
   * been the start of a marker). Call once, when the stream is over.
   *
   * @returns The last deltas, if anything was held back.
   */
  flush(): StreamDelta[] {
    const out: StreamDelta[] = [];
    const first = this.#harmony?.flush();
    if (first) out.push(first);
    for (const [choice, splitter] of this.#harmonyOthers) {
      const delta = splitter.flush();
      if (delta) out.push({ ...delta, choice });
    }
    for (const delta of out) this.accumulator.add(delta);
    return out;
  }

  /**
   * Ends the stream.
   *
   * @returns Whether it ended properly: `[DONE]` arrived, or at least a finish
   * reason with no event cut in half.
   */
  end(): boolean {
    const cut = this.#parser.end();
    return this.finished || (this.#sawFinish && !cut);
  }

  /**
   * llama.cpp builds through 2025 sent a failure mid-stream as a
   * non-standard `error: {json}` line (fixed to `data: {"error":…}` by
   * llama.cpp PR #16109); a spec-exact parser would drop it.
   */
  #onOtherField(field: string, value: string): void {
    if (field !== "error" || this.finished) return;
    let inner: unknown;
    try {
      inner = JSON.parse(value);
    } catch {
      inner = { message: value };
    }
    throw errorFromBody(IN_STREAM, value, { error: inner });
  }

  #onEvent(data: string, event: string): void {
    if (this.finished) return;
    if (data === DONE) {
      this.finished = true;
      return;
    }
    const templates = this.#templates;
    if (templates !== undefined && event !== "error") {
      const delta = templates.match(data);
      if (delta !== undefined) {
        this.#take(delta, templates.record);
        if (templates.timings) this.accumulator.timingsFrom(templates.timings);
        return;
      }
    }
    const record = parseEventObject(data, "A stream event");
    if (event === "error" || record.choices === undefined) {
      const error = errorInBody(record, data, IN_STREAM) ??
        (event === "error"
          ? errorFromBody(IN_STREAM, data, record)
          : undefined);
      if (error) throw error;
    }
    const delta = deltaFromChunk(record);
    // An object that is neither a chunk nor an error (a server's extension) is skipped.
    if (delta === undefined) return;
    const choices = record.choices as unknown[] | undefined;
    if (choices === undefined || choices.length < 2) {
      templates?.learn(data, record, delta);
      this.#take(delta, record);
      return;
    }
    // Several choices in one chunk: each is a delta of its own (and such
    // chunks are not learned from: a template would read only the first).
    this.#take(delta, record);
    for (let i = 1; i < choices.length; i++) {
      this.#take(deltaFromChoice(choices[i]), record);
    }
  }

  /** Passes one delta on: harmony splitting, the accumulator, the caller. */
  #take(delta: StreamDelta, record: Record<string, unknown>): void {
    const splitter = this.#splitter(delta.choice);
    if (delta.content !== undefined) splitter?.apply(delta);
    else if (splitter && (delta.reasoning !== undefined || delta.toolCalls)) {
      const held = splitter.release();
      if (held) {
        this.#pass({
          ...held,
          ...(delta.choice ? { choice: delta.choice } : {}),
        });
      }
    }
    this.#pass(delta, record);
  }

  /** A delta, after harmony splitting, to the accumulator and the caller. */
  #pass(delta: StreamDelta, record?: Record<string, unknown>): void {
    if (record) this.accumulator.identify(record);
    this.accumulator.add(delta);
    if (delta.finishReason !== undefined) this.#sawFinish = true;
    if (!isEmptyDelta(delta)) this.pending.push(delta);
  }
}
