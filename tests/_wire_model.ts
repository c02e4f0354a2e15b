/**
 * A reference model of what a caller of `streamResponse` must observe, and
 * a generator of wire scripts to check it with.
 *
 * A script is what a server means to say (reasoning, answer text, tool
 * calls, finish reasons, usage, for one or two choices) and how the stream
 * ends (its end marker, the end of the body, an error event, a llama.cpp
 * `error:` line, an event that is not JSON, an event cut in half, a broken
 * connection). Each server profile writes it in that server's real framing,
 * taken from the captures in ../shared/captures and tests/fixtures: vLLM
 * (2026, and the rename period that sent both reasoning fields), llama.cpp
 * (b6865 and 2026, timings on chunks), Ollama's /v1 and LM Studio. Tool
 * calls come in every fragmentation those servers use.
 *
 * The model knows the truth (which call each piece belongs to, where the
 * stream fails), so what it expects is computed from the script, not by
 * running the client's own rules again.
 */

import fc from "npm:fast-check@^4.3.0";
import { sseEvent } from "../testing/mod.ts";

export type Profile = "vllm" | "vllm-both" | "llamacpp" | "ollama" | "lmstudio";
export const PROFILES: readonly Profile[] = [
  "vllm",
  "vllm-both",
  "llamacpp",
  "ollama",
  "lmstudio",
];

/** How a server streams a tool call. */
export type ToolStyle =
  | "fragments" // vLLM: header (id, type, index, name, arguments ""), then one piece per token
  | "header-with-args" // llama.cpp: the header carries the first arguments piece
  | "whole" // Ollama /v1: the whole call, with index and id, in one chunk
  | "whole-no-index" // a whole call per chunk, without an index
  | "repeat-name" // fragments that repeat the name on every piece
  | "shared-index"; // every call at index 0, each with its own id

export interface ToolSpec {
  id: string;
  name: string;
  /** The arguments, in the pieces the server streams. */
  pieces: string[];
}

export type ScriptEvent =
  | {
    kind: "text";
    field: "content" | "reasoning";
    choice: number;
    text: string;
  }
  | { kind: "empty"; choice: number } // a chunk that says nothing ({"content": ""})
  | { kind: "tool"; choice: number; call: ToolSpec; style: ToolStyle }
  | { kind: "finish"; choice: number; reason: string }
  | { kind: "ping" }; // an SSE comment, a keep-alive

export type Ending =
  | { kind: "done" } // data: [DONE]
  | { kind: "eof" } // the body ends, no [DONE]
  | { kind: "error-event"; message: string } // data: {"error": …}
  | { kind: "error-line"; message: string } // llama.cpp's error: {…}
  | { kind: "not-json" }
  | { kind: "cut" } // an event cut in half, then the end
  | { kind: "reset" }; // the connection breaks

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface Script {
  profile: Profile;
  events: ScriptEvent[];
  usage?: Usage;
  ending: Ending;
}

/** What one choice says in the end. */
export interface ChoiceTruth {
  content: string;
  reasoning: string;
  calls: { id: string; name: string; arguments: string }[];
  finish: string | null;
}

/** What a caller must observe. */
export interface Expected {
  /** Each choice, by index, as the deltas and the completion must tell it. */
  choices: Map<number, ChoiceTruth>;
  /**
   * The order in which kinds of output follow each other, per choice
   * (choices are streams of their own: their order among each other means
   * nothing).
   */
  segments: string[];
  usage?: Usage;
  /** `undefined` when the stream completes; else the error's class. */
  error?: string;
}

// ----- The truth of a script ------------------------------------------------

export function expected(script: Script): Expected {
  const choices = new Map<number, ChoiceTruth>();
  const truth = (c: number) => {
    let t = choices.get(c);
    if (!t) {
      t = { content: "", reasoning: "", calls: [], finish: null };
      choices.set(c, t);
    }
    return t;
  };
  truth(0);
  const perChoice = new Map<number, string[]>();
  const segment = (label: string) => {
    const c = Number(label.split(":")[0]);
    const list = perChoice.get(c) ?? [];
    if (list.at(-1) !== label) list.push(label);
    perChoice.set(c, list);
  };
  let finished = false;
  for (const event of script.events) {
    if (event.kind === "text") {
      truth(event.choice)[event.field] += event.text;
      if (event.text) segment(`${event.choice}:${event.field}`);
    } else if (event.kind === "tool") {
      truth(event.choice).calls.push({
        id: event.call.id,
        name: event.call.name,
        arguments: event.call.pieces.join(""),
      });
      segment(`${event.choice}:tool`);
    } else if (event.kind === "finish") {
      truth(event.choice).finish = event.reason;
      finished = true;
    }
  }
  const { ending } = script;
  const error = ending.kind === "done"
    ? undefined
    : ending.kind === "eof"
    ? (finished ? undefined : "InvalidResponseError")
    : ending.kind === "error-event" || ending.kind === "error-line"
    ? "ApiError"
    : ending.kind === "reset"
    ? "ConnectionError"
    : "InvalidResponseError";
  const segments = [...perChoice].sort(([a], [b]) => a - b).flatMap(([, l]) =>
    l
  );
  return {
    choices,
    segments,
    ...(script.usage && error === undefined ? { usage: script.usage } : {}),
    ...(error ? { error } : {}),
  };
}

// ----- Writing a script the way each server does ----------------------------

const CREATED = 1796112871;

function chunk(
  profile: Profile,
  choice: number,
  delta: Record<string, unknown>,
  finish: string | null = null,
): Record<string, unknown> {
  switch (profile) {
    case "vllm":
    case "vllm-both":
      return {
        id: "chatcmpl-b938de280364f8b1",
        object: "chat.completion.chunk",
        created: CREATED,
        model: "openai/gpt-oss-20b",
        choices: [{
          index: choice,
          delta,
          logprobs: null,
          finish_reason: finish,
          ...(finish === null ? { token_ids: null } : {}),
        }],
      };
    case "llamacpp":
      return {
        choices: [{ finish_reason: finish, index: choice, delta }],
        created: CREATED,
        id: "chatcmpl-heXR4uwjtva0a5v4E4HQ2femdMlPLLy8",
        model: "openai/gpt-oss-20b",
        system_fingerprint: "b6865-1c1409e13",
        object: "chat.completion.chunk",
        timings: { prompt_n: 1, predicted_n: 3, predicted_per_second: 70.5 },
      };
    case "ollama":
      return {
        id: "chatcmpl-48",
        object: "chat.completion.chunk",
        created: CREATED,
        model: "gpt-oss:20b",
        system_fingerprint: "fp_ollama",
        choices: [{ index: choice, delta, finish_reason: finish }],
      };
    case "lmstudio":
      return {
        id: "chatcmpl-cvixai6ph3q3cdz9huvig6",
        object: "chat.completion.chunk",
        created: CREATED,
        model: "openai/gpt-oss-20b",
        system_fingerprint: "openai/gpt-oss-20b",
        choices: [{
          index: choice,
          delta,
          logprobs: null,
          finish_reason: finish,
        }],
      };
  }
}

function reasoningDelta(
  profile: Profile,
  text: string,
): Record<string, unknown> {
  switch (profile) {
    case "vllm":
    case "lmstudio":
      return { reasoning: text };
    case "vllm-both":
      return { reasoning: text, reasoning_content: text };
    case "llamacpp":
      return { reasoning_content: text };
    case "ollama":
      return { content: "", reasoning: text };
  }
}

function toolDeltas(
  event: Extract<ScriptEvent, { kind: "tool" }>,
  index: number,
): Record<string, unknown>[] {
  const { call, style } = event;
  const [first = "", ...rest] = call.pieces;
  switch (style) {
    case "fragments":
      return [
        {
          tool_calls: [{
            id: call.id,
            type: "function",
            index,
            function: { name: call.name, arguments: "" },
          }],
        },
        ...call.pieces.map((p) => ({
          tool_calls: [{ index, function: { arguments: p } }],
        })),
      ];
    case "header-with-args":
      return [
        {
          tool_calls: [{
            index,
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: first },
          }],
        },
        ...rest.map((p) => ({
          tool_calls: [{ index, function: { arguments: p } }],
        })),
      ];
    case "whole":
      return [{
        tool_calls: [{
          id: call.id,
          index,
          type: "function",
          function: { name: call.name, arguments: call.pieces.join("") },
        }],
      }];
    case "whole-no-index":
      return [{
        tool_calls: [{
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: call.pieces.join("") },
        }],
      }];
    case "repeat-name":
      return [
        {
          tool_calls: [{
            id: call.id,
            type: "function",
            index,
            function: { name: call.name },
          }],
        },
        ...call.pieces.map((p) => ({
          tool_calls: [{ index, function: { name: call.name, arguments: p } }],
        })),
      ];
    case "shared-index":
      return [
        {
          tool_calls: [{
            id: call.id,
            type: "function",
            index: 0,
            function: { name: call.name, arguments: first },
          }],
        },
        ...rest.map((p) => ({
          tool_calls: [{ index: 0, function: { arguments: p } }],
        })),
      ];
  }
}

/** The event stream's text, as the profile's server writes it. */
export function render(script: Script): string {
  const { profile } = script;
  let text = "";
  const write = (value: unknown) => text += sseEvent(value);
  // The first chunk carries the role: a chunk of its own, or (LM Studio, Ollama) on the first delta.
  let roleSent = false;
  const withRole = (delta: Record<string, unknown>) => {
    if (roleSent || (profile !== "lmstudio" && profile !== "ollama")) {
      return delta;
    }
    roleSent = true;
    return { role: "assistant", ...delta };
  };
  if (profile !== "lmstudio" && profile !== "ollama") {
    write(
      chunk(profile, 0, {
        role: "assistant",
        content: profile === "llamacpp" ? null : "",
      }),
    );
    roleSent = true;
  }
  const callsPerChoice = new Map<number, number>();
  for (const event of script.events) {
    switch (event.kind) {
      case "text":
        write(chunk(
          profile,
          event.choice,
          withRole(
            event.field === "content"
              ? { content: event.text }
              : reasoningDelta(profile, event.text),
          ),
        ));
        break;
      case "empty":
        write(chunk(profile, event.choice, withRole({ content: "" })));
        break;
      case "tool": {
        const index = callsPerChoice.get(event.choice) ?? 0;
        callsPerChoice.set(event.choice, index + 1);
        for (const delta of toolDeltas(event, index)) {
          write(chunk(profile, event.choice, withRole(delta)));
        }
        break;
      }
      case "finish":
        write(chunk(profile, event.choice, {}, event.reason));
        break;
      case "ping":
        text += ": ping\n\n";
        break;
    }
  }
  const { ending } = script;
  if (script.usage && (ending.kind === "done" || ending.kind === "eof")) {
    const usageChunk = chunk(profile, 0, {});
    usageChunk.choices = [];
    usageChunk.usage = script.usage;
    write(usageChunk);
  }
  switch (ending.kind) {
    case "done":
      text += "data: [DONE]\n\n";
      break;
    case "error-event":
      write({
        error: { message: ending.message, type: "server_error", code: 500 },
      });
      break;
    case "error-line":
      text += `error: ${
        JSON.stringify({
          code: 500,
          message: ending.message,
          type: "server_error",
        })
      }\n\n`;
      break;
    case "not-json":
      text += 'data: {"choices": [{"delta": {"content": "broken\n\n';
      break;
    case "cut": {
      const last = sseEvent(chunk(profile, 0, { content: "never whole" }));
      text += last.slice(0, Math.floor(last.length / 2));
      break;
    }
    case "eof":
    case "reset":
      break;
  }
  return text;
}

// ----- Generating scripts ---------------------------------------------------

/** Pieces of text from real answers, with what JSON must escape, and none that could look like harmony. */
const PIECES = [
  "Hello",
  " world",
  " the",
  " a",
  ".",
  ",",
  " Paris",
  "é",
  " 日本",
  " 🙂",
  ' "quoted"',
  " back\\slash",
  "\nnew line",
  "\t",
  " {}",
  " [DONE]",
  " data: x",
  "0",
  " 42",
  " Ü",
  " naïve",
  "\u2028",
  " <b>",
  " x>y",
  // Openings harmony detection holds back until it can tell (a prefix of
  // "analysis", "<|channel|>" or " to="): they must not lose their place.
  "a",
  "an",
  "<",
  " t",
];
const piece = fc.constantFrom(...PIECES);
const text = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) =>
  p.join("")
);

const argumentPieces = fc.constantFrom<string[]>(
  ['{"', "city", '":"', "Paris", '","', "unit", '":"', "c", "elsius", '"}'],
  ['{"city":', ' "Oslo"}'],
  ["{}"],
  ['{"q":"', 'a\\"b', '"}'],
  ['{"n":', "1", "2", "}"],
);

let callSerial = 0;
const toolSpec = fc.tuple(
  fc.constantFrom("get_weather", "get_time", "search", "f"),
  argumentPieces,
).map(([name, pieces]) => ({ id: `call_${++callSerial}`, name, pieces }));

const toolStyleFor = (profile: Profile): fc.Arbitrary<ToolStyle> =>
  profile === "ollama"
    ? fc.constantFrom("whole", "whole-no-index")
    : profile === "llamacpp"
    ? fc.constantFrom("header-with-args", "fragments")
    : fc.constantFrom(
      "fragments",
      "repeat-name",
      "shared-index",
      "whole",
      "whole-no-index",
    );

/** One choice's events: reasoning, then answer text or tool calls, then a finish, as servers order them. */
function choiceEvents(
  profile: Profile,
  choice: number,
): fc.Arbitrary<ScriptEvent[]> {
  const style = toolStyleFor(profile);
  return fc.record({
    reasoning: fc.array(text, { maxLength: 4 }),
    between: fc.boolean(),
    answer: fc.array(text, { maxLength: 4 }),
    calls: fc.array(fc.tuple(toolSpec, style), { maxLength: 3 }),
    interleaved: fc.boolean(),
    finish: fc.constantFrom("stop", "length", "tool_calls"),
  }).map(({ reasoning, between, answer, calls, interleaved, finish }) => {
    const events: ScriptEvent[] = [];
    for (const t of reasoning) {
      events.push({ kind: "text", field: "reasoning", choice, text: t });
    }
    if (between) events.push({ kind: "empty", choice });
    for (const t of answer) {
      events.push({ kind: "text", field: "content", choice, text: t });
    }
    // Now and then some reasoning after the answer began: rare, but it must stay in order.
    if (interleaved && answer.length && reasoning.length) {
      events.push({ kind: "text", field: "reasoning", choice, text: " later" });
      events.push({ kind: "text", field: "content", choice, text: " more" });
    }
    for (const [call, s] of calls) {
      events.push({ kind: "tool", choice, call, style: s });
    }
    events.push({
      kind: "finish",
      choice,
      reason: calls.length ? "tool_calls" : finish,
    });
    return events;
  });
}

const endingArb: fc.Arbitrary<Ending> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "done" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "eof" as const }) },
  {
    weight: 1,
    arbitrary: fc.constant({
      kind: "error-event" as const,
      message: "engine died",
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      kind: "error-line" as const,
      message: "slot failed",
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "not-json" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "cut" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reset" as const }) },
);

/** Scripts as the servers' real streams look, failing at every position. */
export const scripts: fc.Arbitrary<Script> = fc.constantFrom(...PROFILES).chain(
  (profile) =>
    fc.record({
      profile: fc.constant(profile),
      // Several choices: only vLLM serves n > 1.
      choices: profile.startsWith("vllm")
        ? fc.integer({ min: 1, max: 2 })
        : fc.constant(1),
      pings: fc.array(fc.nat({ max: 30 }), { maxLength: 2 }),
      usage: fc.option(
        fc.record({
          prompt_tokens: fc.nat({ max: 500 }),
          completion_tokens: fc.nat({ max: 500 }),
        })
          .map((u) => ({
            ...u,
            total_tokens: u.prompt_tokens + u.completion_tokens,
          })),
        { nil: undefined },
      ),
      ending: endingArb,
      // Where a failure comes: after this many events (at the end when larger).
      failAt: fc.nat({ max: 40 }),
    }).chain((base) =>
      fc.tuple(...Array.from({ length: base.choices }, (_, c) =>
        choiceEvents(profile, c)))
        .map((perChoice) => {
          // Choices interleave event by event, as vLLM streams them.
          let events: ScriptEvent[] = [];
          const longest = Math.max(...perChoice.map((e) =>
            e.length
          ));
          for (let i = 0; i < longest; i++) {
            for (const list of perChoice) {
              if (i < list.length) {
                events.push(list[i]);
              }
            }
          }
          for (const at of base.pings) {
            events.splice(Math.min(at, events.length), 0, { kind: "ping" });
          }
          const failing = !["done", "eof"].includes(base.ending.kind);
          if (failing) {
            events = events.slice(0, Math.min(base.failAt, events.length));
          }
          return {
            profile,
            events,
            ...(base.usage ? { usage: base.usage } : {}),
            ending: base.ending,
          };
        })
    ),
);
