/**
 * Decodes Ollama's native chat stream: NDJSON objects, each a piece of the
 * answer, the last with `done: true`; a failure after the first bytes is a
 * last line `{"error": "…"}` (the status stays 200).
 *
 * @module
 */

import { DecoderBase, parseEventObject } from "../../stream/decoder_base.ts";
import type { DecoderOptions } from "../../stream/decoder.ts";
import { NdjsonParser } from "../../stream/ndjson.ts";
import { errorInBody } from "../../http/error_body.ts";
import { HarmonyDeltaSplitter } from "../../harmony/deltas.ts";
import type { StreamDelta } from "../../types.ts";
import { deltaFromOllama, identityOf, OllamaAnswerState } from "./response.ts";
import { LineTemplates } from "./line_template.ts";

/** Where an error sent inside a stream comes from. */
const IN_STREAM = { status: 200, statusText: "error in stream" } as const;

/** Decodes one stream; a failure ends it and is kept in {@link OllamaLineDecoder.failure}. */
export class OllamaLineDecoder extends DecoderBase {
  readonly #parser: NdjsonParser;
  readonly #state = new OllamaAnswerState();
  readonly #harmony: HarmonyDeltaSplitter | undefined;
  readonly #templates: LineTemplates | undefined;

  /**
   * @param options Whether to split raw harmony in the answer, the longest
   * line, and whether to read lines shaped like an earlier one without
   * parsing them (`templates`, default `true`; the results are the same).
   */
  constructor(options: Partial<DecoderOptions> & { templates?: boolean } = {}) {
    super();
    if (options.templates !== false) this.#templates = new LineTemplates();
    this.#parser = new NdjsonParser(
      (line) => this.#onLine(line),
      options.maxEventLength,
      this.#templates &&
        ((text, from, limit) => this.#readAt(text, from, limit)),
    );
    if (options.splitHarmony !== false) {
      this.#harmony = new HarmonyDeltaSplitter();
    }
  }

  /** A line read through a template where it sits in the text (see NdjsonParser). */
  #readAt(text: string, from: number, limit: number): number {
    if (this.finished) return -1;
    const templates = this.#templates!;
    const delta = templates.matchAt(text, from, limit);
    if (delta === undefined) return -1;
    this.#take(delta, false);
    return templates.nextAt;
  }

  /** Lines read through a template, without parsing (for tests and benchmarks). */
  get templateHits(): number {
    return this.#templates?.hits ?? 0;
  }

  /** Of those, the events read where they sit in the text, not cut out first. */
  get templateHitsInPlace(): number {
    return this.#templates?.hitsInPlace ?? 0;
  }

  /** Reads lines; the object with `done: true` ends the stream. */
  protected read(text: string): void {
    this.#parser.feed(text);
  }

  /** @returns The deltas of a last line without its line end, and what the splitter held. */
  flush(): StreamDelta[] {
    this.pending.length = 0;
    if (this.failure === undefined && !this.finished) {
      this.guard(() => this.#parser.end());
    }
    const held = this.#harmony?.flush();
    if (held) this.#pass(held);
    return [...this.pending];
  }

  end(): boolean {
    return this.finished;
  }

  #onLine(line: string): void {
    if (this.finished) return;
    const templates = this.#templates;
    if (templates !== undefined) {
      const delta = templates.match(line);
      if (delta !== undefined) {
        this.#take(delta, false);
        return;
      }
    }
    const record = parseEventObject(line, "A line of Ollama's stream");
    const error = errorInBody(record, line, IN_STREAM);
    if (error) throw error;
    // The first line that has them names the model and the time.
    if (!this.accumulator.model || !this.accumulator.created) {
      this.accumulator.identify(identityOf(record));
    }
    const delta = deltaFromOllama(record, this.#state);
    if (record.done === true) this.finished = true;
    else if (templates !== undefined && delta.toolCalls === undefined) {
      templates.learn(line, record, delta);
    }
    this.#take(delta, this.finished);
  }

  /** One line's delta, through the harmony splitter; `done` for the last line. */
  #take(delta: StreamDelta, done: boolean): void {
    const splitter = this.#harmony;
    if (!splitter) {
      this.#pass(delta);
      return;
    }
    // The end (finish, usage) goes last, after what the splitter held.
    const { finishReason, usage } = delta;
    let body = delta;
    if (finishReason !== undefined || usage !== undefined) {
      body = { ...delta };
      delete body.finishReason;
      delete body.usage;
    }
    if (body.content !== undefined) splitter.apply(body);
    else if (body.reasoning !== undefined || body.toolCalls) {
      const held = splitter.release();
      if (held) this.#pass(held);
    }
    this.#pass(body);
    if (done) {
      const rest = splitter.flush();
      if (rest) this.#pass(rest);
      this.#pass({
        ...(finishReason !== undefined ? { finishReason } : {}),
        ...(usage ? { usage } : {}),
      });
    }
  }

  #pass(delta: StreamDelta): void {
    this.accumulator.add(delta);
    if (
      delta.content !== undefined || delta.reasoning !== undefined ||
      delta.toolCalls || delta.finishReason !== undefined || delta.usage
    ) this.pending.push(delta);
  }
}
