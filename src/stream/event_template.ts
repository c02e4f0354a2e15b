/**
 * A shortcut past `JSON.parse` for the events that make up nearly all of a
 * stream: servers send thousands of events (SSE chunks, NDJSON lines) that
 * differ from each other only in a few values (the delta's text, in one
 * field or two; a tool call's arguments; llama.cpp's `timings`; a
 * timestamp).
 *
 * After an event has been parsed the usual way, its text is cut into a
 * template: the literal text, and holes where those values sit (each a JSON
 * string or number; which values may be holes, and how an event becomes a
 * delta, is the wire API's {@link TemplatePolicy}). A later event made of
 * the same literal text with one valid JSON value of the same kind in each
 * hole parses, by JSON's grammar, to the same object with only those values
 * changed: its delta is built from the values without parsing the rest. The
 * delta's shape comes from a probe: the template filled with marker
 * strings, parsed and read the usual way, shows where each string ends up.
 * A template with holes beside the delta's strings (a timestamp, timings)
 * is matched as one regular expression of the same grammar, the literal
 * text and a string's body or a number in each hole: the engine reads such
 * an event in one pass, faster than hole by hole. With the wire API's
 * framing (SSE's `data:` line and blank line, NDJSON's line end), every
 * template also matches an event where it sits in the stream's text
 * ({@link EventTemplates.matchAt}, called by the SSE and NDJSON parsers at
 * each line start), so that the parser need not find its end and cut it
 * out first.
 * Anything else (another shape, an escape that does not decode, an empty
 * string, two fields equal that were different or the other way round)
 * goes the usual way, so results are the same as parsing every event;
 * tests/chunk_template_test.ts and tests/stream_shapes_test.ts check that
 * on captured, generated and damaged streams of every server's shape.
 *
 * @module
 */

import type { StreamDelta } from "../types.ts";
import { type Build, compileDelta, marker } from "./delta_builder.ts";
import { eventPattern } from "./event_pattern.ts";
import {
  decodeStringBody,
  jsonNumberEnd,
  plainStringEnd,
  plainStringEndLong,
  stringEnd,
} from "./json_text.ts";
import { type EventValue, scanValues } from "./json_values.ts";

export type { EventValue } from "./json_values.ts";

/** What a hole's value is for. */
export type HoleUse =
  /** A string of the delta (its text, reasoning, a tool call's pieces). */
  | "delta"
  /** A number of llama.cpp's `timings` (the last event's are the answer's). */
  | "timing"
  /** A value nothing reads past the first event (`created`, `created_at`). */
  | "ignored";

/** What a wire API tells the templates about its events. */
export interface TemplatePolicy {
  /** Which values may be holes, and what for; `undefined` keeps one literal. */
  use(value: EventValue): HoleUse | undefined;
  /** An event's delta, read the usual way (for the probe), or `undefined`. */
  delta(event: unknown): StreamDelta | undefined;
  /**
   * How an event sits in the stream's text, as regular expression sources
   * (SSE: `data: ?` before, `\n\n` after; NDJSON: nothing before, `\r?\n`
   * after), so that {@link EventTemplates.matchAt} reads an event where it
   * sits, framing included, without cutting it out first.
   */
  framing?: { before: string; after: string };
}

interface Hole {
  kind: "string" | "number";
  use: HoleUse;
  /** For a delta string: which of the probe's markers it is (equal strings share one). */
  group: number;
  /** For a timing: its key in `timings`. */
  key: string;
}

/** A hole's kind and use, as {@link Template.codes} has them. */
const DELTA_STRING = 0;
const OTHER_STRING = 1;
const NUMBER = 2;
const TIMING = 3;

interface Template {
  /** The literal text around the holes: one more than there are holes; a string hole's quotes are in it. */
  literals: string[];
  /** Per hole, what is read there (`DELTA_STRING`…): one load where a match reads it. */
  codes: number[];
  /** Per hole, its group (for a delta string). */
  groupAt: number[];
  /** Per hole, its key (for a timing: its key in `timings`). */
  keys: string[];
  /**
   * For a template with holes other than the delta's strings (a
   * timestamp, timings): the whole event by JSON's grammar, the literal
   * text with a string's body or a number in each hole, the delta strings'
   * raw bodies captured in order. One match of it in the engine reads such
   * an event faster than hole by hole.
   */
  pattern: RegExp | undefined;
  /**
   * With the policy's framing, the same pattern framed as the event sits in
   * the stream (sticky: it matches at `lastIndex`); for a template with
   * timings, the event's own text is captured first (its timings are read
   * from it later).
   */
  framed: RegExp | undefined;
  /** Delta strings of different groups: equal values in a later event would change the shape. */
  groups: number;
  /** Builds the delta from the groups' values, as the probe's delta showed it. */
  build: Build;
  /** The parsed event the template was cut from (for its id, model). */
  record: Record<string, unknown>;
  /** Its timings, when some of them are holes. */
  timings: Record<string, unknown> | undefined;
}

/** Templates kept at once (reasoning, answer, tool arguments, and one spare). */
const KEPT = 4;
/** Templates learned before learning has to pay for itself with hits. */
const FREE_LEARNS = 8;
/** Hits each learned template must bring, past the free ones. */
const HITS_PER_LEARN = 8;

/** Learns templates from parsed events and reads matching events without parsing. */
export class EventTemplates {
  readonly #policy: TemplatePolicy;
  readonly #templates: Template[] = [];
  #learns = 0;
  #hits = 0;
  #hitsInPlace = 0;
  #candidates = 0;
  /** The text of the last event learned from (or offered first). */
  #previous: string | undefined;
  /** The values of the event being matched (reused). */
  readonly #values: (string | undefined)[] = [];

  /** @param policy Which values are holes, and how an event becomes a delta. */
  constructor(policy: TemplatePolicy) {
    this.#policy = policy;
  }

  /** After a {@link EventTemplates.matchAt} that read an event: where the text after it begins. */
  nextAt = 0;

  /** Events read through a template so far. */
  get hits(): number {
    return this.#hits;
  }

  /** Of those, the events read where they sit ({@link EventTemplates.matchAt}). */
  get hitsInPlace(): number {
    return this.#hitsInPlace;
  }

  /** The parsed event behind the last match (its id, model). */
  record: Record<string, unknown> = {};
  /**
   * For the last match, when its timings differ from the record's: reads
   * them from the event's text (only the last event's are ever needed).
   */
  timings: (() => Record<string, number>) | undefined;

  /**
   * @param data An event's data.
   * @returns Its delta when it matches a template (then {@link record} holds
   * the event's fields), or `undefined`: parse it the usual way.
   */
  match(data: string): StreamDelta | undefined {
    const templates = this.#templates;
    for (let i = 0; i < templates.length; i++) {
      const t = templates[i];
      const pattern = t.pattern;
      let delta: StreamDelta | undefined;
      if (pattern === undefined) delta = this.#matchOne(t, data);
      else {
        const found = execBounded(pattern, data);
        delta = found === undefined
          ? this.#matchOne(t, data) // too many escapes: hole by hole
          : found === null
          ? undefined
          : this.#matchFound(t, found, data, 1);
      }
      if (delta === undefined) continue;
      this.#hits++;
      // The template that matched is tried first next time.
      if (i > 0) templates.unshift(templates.splice(i, 1)[0]);
      return delta;
    }
    return undefined;
  }

  /**
   * {@link EventTemplates.match} for an event where it sits in the stream's
   * text, framing included (the policy's `framing`): the event is not cut
   * out first. What does not match here, or is longer than `limit`
   * characters, the caller reads the usual way (cut out, then `match`).
   *
   * @param text The stream's text.
   * @param from Where the event's framing begins.
   * @param limit The most characters the framed event may take.
   * @returns Its delta, with {@link EventTemplates.nextAt} set to where the
   * text after it begins; or `undefined`.
   */
  matchAt(text: string, from: number, limit: number): StreamDelta | undefined {
    const templates = this.#templates;
    for (let i = 0; i < templates.length; i++) {
      const t = templates[i];
      const framed = t.framed;
      if (framed === undefined) continue;
      framed.lastIndex = from;
      const found = execBounded(framed, text);
      // Too many escapes: `match` reads it hole by hole.
      if (found === undefined) return undefined;
      if (found === null || framed.lastIndex - from > limit) continue;
      // A template with timings captures the event's own text first, to
      // read them from later.
      const delta = t.timings === undefined
        ? this.#matchFound(t, found, text, 1)
        : this.#matchFound(t, found, found[1], 2);
      if (delta === undefined) continue;
      this.nextAt = framed.lastIndex;
      this.#hits++;
      this.#hitsInPlace++;
      if (i > 0) templates.unshift(templates.splice(i, 1)[0]);
      return delta;
    }
    return undefined;
  }

  /**
   * The delta of an event that a template's pattern matched, its strings
   * decoded and compared.
   *
   * @param data The event's own text, from which its timings are read
   * later (for a template without timings, any text: it is not read).
   * @param first The capture of its first delta string.
   */
  #matchFound(
    t: Template,
    found: RegExpExecArray,
    data: string,
    first: number,
  ): StreamDelta | undefined {
    const { groupAt, codes, groups } = t;
    const values = this.#values;
    for (let g = 0; g < groups; g++) values[g] = undefined;
    // The captures are the delta strings', in the order of their holes.
    let captured = first;
    for (let h = 0; h < codes.length; h++) {
      if (codes[h] !== DELTA_STRING) continue;
      const raw = found[captured++];
      // An empty string takes the usual way (it reads as none).
      if (raw === "") return undefined;
      const value = raw.indexOf("\\") === -1
        ? raw
        : decodeStringBody(raw, 0, raw.length);
      if (value === undefined) return undefined;
      const group = groupAt[h];
      const known = values[group];
      if (known === undefined) values[group] = value;
      else if (known !== value) return undefined;
    }
    return this.#built(t, data, groups);
  }

  #matchOne(
    t: Template,
    data: string,
    timings?: Record<string, unknown>,
  ): StreamDelta | undefined {
    const { literals, codes, groupAt, groups } = t;
    const values = this.#values;
    // Cleared in place: setting the length to 0 would free the array's store.
    for (let g = 0; g < groups; g++) values[g] = undefined;
    let at = 0;
    const count = codes.length;
    for (let h = 0; h < count; h++) {
      const literal = literals[h];
      // A slice compared whole is faster than `startsWith` at an offset.
      const after = at + literal.length;
      if (data.slice(at, after) !== literal) return undefined;
      at = after;
      const code = codes[h];
      if (code >= NUMBER) {
        const end = jsonNumberEnd(data, at);
        if (end === -1) return undefined;
        if (timings !== undefined && code === TIMING) {
          timings[t.keys[h]] = Number(data.slice(at, end));
        }
        at = end;
        continue;
      }
      // One pass finds the closing quote and whether anything before it
      // needs decoding (an escape, a control character); a timestamp's 30
      // characters are scanned faster by the regular expression engine, a
      // delta's few by a loop.
      const found = code === OTHER_STRING
        ? plainStringEndLong(data, at)
        : plainStringEnd(data, at);
      const end = found < 0 ? stringEnd(data, at) : found;
      if (end === -1) return undefined;
      if (code === DELTA_STRING) {
        const value = found >= 0
          ? data.slice(at, end)
          : decodeStringBody(data, at, end);
        // An empty string, or one that is not a single valid JSON
        // string, takes the usual way.
        if (value === undefined || value === "") return undefined;
        const group = groupAt[h];
        const known = values[group];
        if (known === undefined) values[group] = value;
        else if (known !== value) return undefined;
      } else if (
        found < 0 && decodeStringBody(data, at, end) === undefined
      ) return undefined;
      at = end;
    }
    const last = literals[count];
    if (data.length - at !== last.length || data.slice(at) !== last) {
      return undefined;
    }
    if (timings !== undefined) return {};
    return this.#built(t, data, groups);
  }

  /** The delta of an event that matched `t`, its values read. */
  #built(t: Template, data: string, groups: number): StreamDelta | undefined {
    const values = this.#values;
    // Strings of different groups must differ still, as in the probe.
    for (let a = 1; a < groups; a++) {
      for (let b = 0; b < a; b++) {
        if (values[a] === values[b]) return undefined;
      }
    }
    const delta = t.build(values as string[]) as StreamDelta;
    this.record = t.record;
    if (t.timings === undefined) this.timings = undefined;
    else {
      this.#matched = t;
      this.#matchedData = data;
      this.timings = this.#readMatched;
    }
    return delta;
  }

  /** The template and the text of the last match, for its timings. */
  #matched: Template | undefined;
  #matchedData = "";
  /** Reads the last match's timings (one function, not one per event). */
  readonly #readMatched = (): Record<string, number> => {
    // Read at once by whoever reads them (the completion being built).
    return this.#timingsOf(this.#matched!, this.#matchedData);
  };

  /** The timings of an event that matched `t`, read from its text. */
  #timingsOf(t: Template, data: string): Record<string, number> {
    const timings: Record<string, unknown> = { ...t.timings };
    this.#matchOne(t, data, timings);
    return timings as Record<string, number>;
  }

  /**
   * Learns a template from an event that was parsed the usual way, when its
   * delta is text, reasoning or tool-call pieces and nothing else.
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
    if (
      delta.finishReason !== undefined || delta.usage !== undefined ||
      delta.choice !== undefined ||
      (delta.content === undefined && delta.reasoning === undefined &&
        delta.toolCalls === undefined)
    ) return;
    // Not from the first such event: a stream of one delta never repays
    // the probe, and the first delta should reach the caller at once. Its
    // text is kept (read only when a template is cut): what changes from one
    // event to the next is a hole.
    if (this.#candidates++ === 0) {
      this.#previous = data;
      return;
    }
    this.#learns++;
    const previous = this.#previous;
    this.#previous = data;
    const template = cut(
      this.#policy,
      data,
      record,
      delta,
      previous === undefined ? undefined : valuesByPath(previous),
    );
    if (template === undefined) return;
    this.#templates.unshift(template);
    if (this.#templates.length > KEPT) this.#templates.pop();
  }
}

/**
 * Cuts a template out of a parsed event, and checks it with the probe.
 * @returns The template, or `undefined` when the event makes none.
 */
function cut(
  policy: TemplatePolicy,
  data: string,
  record: Record<string, unknown>,
  delta: StreamDelta,
  previous: Map<string, string> | undefined,
): Template | undefined {
  const values = scanValues(data);
  if (values === undefined) return undefined;
  // A timing or a timestamp that was the same in the event before stays
  // literal text (a hole costs more to read); one that changed, or is new,
  // is a hole.
  const changed = (value: EventValue) =>
    previous?.get(value.path) !== data.slice(value.start, value.end);
  const literals: string[] = [];
  const holes: Hole[] = [];
  const groupOf = new Map<string, number>();
  const probe: string[] = [];
  const learned: string[] = [];
  let from = 0;
  for (const value of values) {
    const use = policy.use(value);
    if (use === undefined || (use !== "delta" && !changed(value))) continue;
    const start = value.kind === "string" ? value.start + 1 : value.start;
    const end = value.kind === "string" ? value.end - 1 : value.end;
    let group = -1;
    let text = data.slice(start, end);
    if (use === "delta") {
      const decoded = decodeStringBody(data, value.start + 1, value.end - 1);
      if (decoded === undefined) return undefined;
      // An empty string stays literal text: the usual way reads it as none.
      if (decoded === "") continue;
      group = groupOf.get(decoded) ?? groupOf.size;
      groupOf.set(decoded, group);
      learned[group] = decoded;
      text = marker(group);
    }
    literals.push(data.slice(from, start));
    probe.push(data.slice(from, start), text);
    holes.push({
      kind: value.kind,
      use,
      group,
      key: value.path.slice(value.path.lastIndexOf(".") + 1),
    });
    from = end;
  }
  literals.push(data.slice(from));
  probe.push(data.slice(from));
  if (groupOf.size === 0) return undefined;
  // The strings found must be the ones the delta was read from, and only
  // they: put markers in their places, parse, and see the markers come out
  // where the delta's values were.
  let probed: unknown;
  try {
    probed = JSON.parse(probe.join(""));
  } catch {
    return undefined;
  }
  const shape = policy.delta(probed);
  if (shape === undefined) return undefined;
  const build = compileDelta(shape);
  if (JSON.stringify(build(learned)) !== JSON.stringify(delta)) {
    return undefined;
  }
  const timings = holes.some((h) => h.use === "timing")
    ? record.timings as Record<string, unknown>
    : undefined;
  const codes = holes.map((h) =>
    h.kind === "number"
      ? h.use === "timing" ? TIMING : NUMBER
      : h.use === "delta"
      ? DELTA_STRING
      : OTHER_STRING
  );
  const event = eventPattern(
    literals,
    holes.map((h) =>
      h.kind === "number" ? "number" : h.use === "delta" ? "delta" : "string"
    ),
  );
  const { framing } = policy;
  return {
    literals,
    codes,
    pattern: codes.some((code) => code !== DELTA_STRING)
      ? new RegExp(`^${event}$`)
      : undefined,
    framed: framing === undefined ? undefined : new RegExp(
      timings === undefined
        ? `${framing.before}${event}${framing.after}`
        : `${framing.before}(${event})${framing.after}`,
      "y",
    ),
    groupAt: holes.map((h) => h.group),
    keys: holes.map((h) => h.key),
    groups: groupOf.size,
    build,
    record,
    timings,
  };
}

/**
 * A pattern's match, or `undefined` when the text outgrows the engine's
 * backtracking stack (a string of a million escapes or more: a
 * `RangeError`), so that the caller reads it another way.
 */
function execBounded(
  pattern: RegExp,
  text: string,
): RegExpExecArray | null | undefined {
  try {
    return pattern.exec(text);
  } catch {
    return undefined;
  }
}

/** An event's values by path, or none when it is not followed. */
function valuesByPath(data: string): Map<string, string> | undefined {
  const values = scanValues(data);
  return values &&
    new Map(values.map((v) => [v.path, data.slice(v.start, v.end)]));
}
