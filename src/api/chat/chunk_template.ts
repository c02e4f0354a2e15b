/**
 * A shortcut past `JSON.parse` for the events that make up nearly all of a
 * stream: servers send thousands of chunks that differ from each other only
 * in the text of one delta (`{"id":…,"choices":[{"index":0,"delta":{"content":"…"}…}]}`).
 *
 * After an event has been parsed the usual way, its text is cut around that
 * string into a prefix and a suffix (a template). A later event made of the
 * same prefix, one valid JSON string and the same suffix parses, by JSON's
 * grammar, to the same object with only that string changed: its delta is
 * read without parsing the rest. Anything else (another shape, an escape
 * that does not decode, an empty string) goes the usual way, so results are
 * the same as parsing every event; tests/chunk_template_test.ts checks that
 * on captured and mutated streams.
 *
 * @module
 */

import { deltaFromChunk } from "./chunk.ts";
import type { StreamDelta } from "../../types.ts";

interface Template {
  /** The event's text up to and including the string's opening quote. */
  prefix: string;
  /** The event's text from the string's closing quote on. */
  suffix: string;
  /** Which field of the delta the string fills. */
  key: "content" | "reasoning";
  /** The parsed event the template was cut from (for its id, model, timings). */
  record: Record<string, unknown>;
}

/** Where the string can sit: the field names, as they appear on the wire. */
const PATTERNS = {
  content: ['"content":"'],
  reasoning: ['"reasoning":"', '"reasoning_content":"'],
} as const;

/** Templates kept at once: one for reasoning, one for the answer. */
const KEPT = 2;
/** Templates learned before learning has to pay for itself with hits. */
const FREE_LEARNS = 8;
/** Hits each learned template must bring, past the free ones. */
const HITS_PER_LEARN = 8;
/** The value put in the probe that checks a template (see `learn`). */
const PROBE = "p\u2603";

/** Learns templates from parsed events and reads matching events without parsing. */
export class ChunkTemplates {
  readonly #templates: Template[] = [];
  #learns = 0;
  #hits = 0;
  #candidates = 0;
  /** Events read through a template so far. */
  get hits(): number {
    return this.#hits;
  }

  /** The parsed event behind the last match. */
  record: Record<string, unknown> = {};

  /**
   * @param data An event's data.
   * @returns Its delta when it matches a template (then {@link record} holds
   * the event's fields), or `undefined`: parse it the usual way.
   */
  match(data: string): StreamDelta | undefined {
    const templates = this.#templates;
    for (let i = 0; i < templates.length; i++) {
      const t = templates[i];
      const open = t.prefix.length;
      const close = data.length - t.suffix.length;
      if (close <= open) continue;
      if (data.slice(close) !== t.suffix || data.slice(0, open) !== t.prefix) {
        continue;
      }
      const raw = data.slice(open, close);
      const value = isPlainString(raw)
        ? raw
        : decodeString(data.slice(open - 1, close + 1));
      // An empty string, or one that is not a single valid JSON string,
      // takes the usual way.
      if (value === undefined || value === "") return undefined;
      this.record = t.record;
      this.#hits++;
      return t.key === "content" ? { content: value } : { reasoning: value };
    }
    return undefined;
  }

  /**
   * Learns a template from an event that was parsed the usual way, when its
   * delta is one string of answer or reasoning and nothing else.
   *
   * @param data The event's data.
   * @param record The event, parsed.
   * @param delta Its delta.
   */
  learn(
    data: string,
    record: Record<string, unknown>,
    delta: StreamDelta,
  ): void {
    if (
      this.#learns >= FREE_LEARNS &&
      this.#hits < this.#learns * HITS_PER_LEARN
    ) return;
    const keys = Object.keys(delta);
    const key = keys[0];
    if (keys.length !== 1 || (key !== "content" && key !== "reasoning")) {
      return;
    }
    // Not from the first such event: a stream of one delta never repays
    // the probe, and the first delta should reach the caller at once.
    if (this.#candidates++ === 0) return;
    for (const pattern of PATTERNS[key]) {
      const at = data.indexOf(pattern);
      if (at === -1) continue;
      const open = at + pattern.length;
      const close = closingQuote(data, open);
      if (close === -1) return;
      const template: Template = {
        prefix: data.slice(0, open),
        suffix: data.slice(close),
        key,
        record,
      };
      this.#learns++;
      // The string found must be the one the delta was read from: put
      // another value in its place, parse, and see it come out there alone.
      let probe: unknown;
      try {
        probe = JSON.parse(template.prefix + PROBE + template.suffix);
      } catch {
        return;
      }
      const probed = deltaFromChunk(probe);
      if (
        probed === undefined || probed[key] !== PROBE ||
        Object.keys(probed).length !== 1
      ) return;
      this.#templates.unshift(template);
      if (this.#templates.length > KEPT) this.#templates.pop();
      return;
    }
  }
}

/** @returns Whether the text is a JSON string's body without escapes. */
function isPlainString(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** @returns The string a quoted JSON string stands for, or `undefined`. */
function decodeString(quoted: string): string | undefined {
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** @returns The index of the quote that closes the string begun before `from`, or -1. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c) i++;
  }
  return -1;
}
