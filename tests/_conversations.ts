/**
 * Random chat requests in every shape a caller sends: system and developer
 * messages first, later or not at all; text and content parts; assistant
 * turns with reasoning, a preamble, one or several tool calls and their
 * results (a result whose call is unknown too); tools whose parameters use
 * the JSON Schema a real tool declares (nested objects, arrays, enums,
 * unions, nullables, defaults, descriptions). For the differential tests of
 * the renderers against the servers' own code.
 *
 * @module
 */

import fc from "npm:fast-check@^4.3.0";
import type {
  ChatMessage,
  ContentPart,
  ReasoningEffort,
  ToolDefinition,
} from "../mod.ts";

/** One chat request as a server's chat path receives it. */
export interface ChatRequestCase {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  reasoningEffort?: ReasoningEffort;
  /** `YYYY-MM-DD`. */
  date: string;
}

/** Text with what breaks renderers: quotes, escapes, line ends, markup, non-Latin scripts. */
export const text: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(
    ..."ab Z9_.,:\n\t\r\"'\\{}[]<>|/*=#\u00e9\u4e2d\u0416\u{1F389}".split(
      /(?:)/u,
    ),
    "the ",
    " and",
    "<|end|>",
    "to=",
    "functions.",
    "//",
    "\n\n",
  ),
  maxLength: 24,
});

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);

const leafSchema = fc.oneof(
  fc.record({ type: fc.constant("string") }),
  fc.record({ type: fc.constant("string"), description: text }),
  fc.record({
    type: fc.constant("string"),
    enum: fc.array(text, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ type: fc.constantFrom("number", "integer", "boolean") }),
  fc.record({
    type: fc.constantFrom("number", "integer"),
    enum: fc.array(fc.integer({ min: -5, max: 99 }), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
  fc.record({
    type: fc.constant("string"),
    default: text,
    description: text,
  }),
  fc.record({ type: fc.constant(["string", "null"]) }),
  fc.record({ type: fc.constant("integer"), default: fc.integer() }),
);

const schema: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafSchema,
    fc.record({
      type: fc.constant("array"),
      items: tie("node") as fc.Arbitrary<Record<string, unknown>>,
    }),
    fc.record({
      type: fc.constant("object"),
      properties: fc.dictionary(
        name,
        tie("node") as fc.Arbitrary<Record<string, unknown>>,
        { maxKeys: 3 },
      ),
    }),
    fc.record({
      anyOf: fc.array(leafSchema, { minLength: 2, maxLength: 3 }),
    }),
    fc.record({
      oneOf: fc.array(leafSchema, { minLength: 2, maxLength: 2 }),
      description: text,
    }),
  ),
})).node;

/** A tool as callers declare one: an object of parameters, some required; sometimes none at all. */
export const tool: fc.Arbitrary<ToolDefinition> = fc.record({
  name,
  description: fc.option(text, { nil: undefined }),
  properties: fc.dictionary(name, schema, { maxKeys: 4 }),
  required: fc.nat({ max: 3 }),
  parameterless: fc.boolean(),
}).map(({ name, description, properties, required, parameterless }) => ({
  type: "function",
  function: {
    name,
    ...(description === undefined ? {} : { description }),
    ...(parameterless && Object.keys(properties).length === 0 ? {} : {
      parameters: {
        type: "object",
        properties,
        required: Object.keys(properties).slice(0, required),
      },
    }),
  },
}));

const content: fc.Arbitrary<string | ContentPart[]> = fc.oneof(
  { weight: 4, arbitrary: text },
  {
    weight: 1,
    arbitrary: fc.array(
      text.map((t): ContentPart => ({ type: "text", text: t })),
      { minLength: 1, maxLength: 3 },
    ),
  },
);

let calls = 0;
const callId = () => `call_${calls++}`;

/** One exchange: a question and what the assistant did about it. */
const exchange: fc.Arbitrary<ChatMessage[]> = fc.oneof(
  fc.record({
    question: content,
    answer: text,
    reasoning: fc.option(text, { nil: undefined }),
  }).map(({ question, answer, reasoning }): ChatMessage[] => [
    { role: "user", content: question },
    {
      role: "assistant",
      content: answer,
      ...(reasoning === undefined ? {} : { reasoning }),
    },
  ]),
  fc.record({
    question: content,
    preamble: fc.option(text, { nil: null }),
    reasoning: fc.option(text, { nil: undefined }),
    calls: fc.array(fc.record({ name, args: fc.json() }), {
      minLength: 1,
      maxLength: 3,
    }),
    results: fc.array(text, { minLength: 3, maxLength: 3 }),
    unknownResult: fc.boolean(),
    answer: fc.option(text, { nil: undefined }),
  }).map((x): ChatMessage[] => {
    const ids = x.calls.map(() => callId());
    const messages: ChatMessage[] = [
      { role: "user", content: x.question },
      {
        role: "assistant",
        content: x.preamble,
        ...(x.reasoning === undefined ? {} : { reasoning: x.reasoning }),
        tool_calls: x.calls.map((c, i) => ({
          id: ids[i],
          type: "function" as const,
          function: { name: c.name, arguments: c.args },
        })),
      },
      ...ids.map((id, i): ChatMessage => ({
        role: "tool",
        tool_call_id: x.unknownResult && i === 0 ? "call_unknown" : id,
        content: x.results[i] ?? "",
      })),
    ];
    if (x.answer !== undefined) {
      messages.push({ role: "assistant", content: x.answer });
    }
    return messages;
  }),
  fc.record({ role: fc.constantFrom("system", "developer"), content: text })
    .map(({ role, content }): ChatMessage[] => [
      { role: role as "system" | "developer", content },
    ]),
);

/** A whole chat request: instructions or not, some exchanges, the question in progress. */
export const chatRequest: fc.Arbitrary<ChatRequestCase> = fc.record({
  first: fc.option(
    fc.record({
      role: fc.constantFrom("system", "developer"),
      content,
    }),
    { nil: undefined },
  ),
  exchanges: fc.array(exchange, { maxLength: 4 }),
  last: fc.option(content, { nil: undefined }),
  // Tool names are unique: the client refuses two tools of one name.
  tools: fc.option(
    fc.uniqueArray(tool, {
      minLength: 1,
      maxLength: 3,
      selector: (t) => t.function.name,
    }),
    { nil: undefined },
  ),
  effort: fc.constantFrom(undefined, "low", "medium", "high"),
  date: fc.constantFrom("2025-08-05", "2026-12-01"),
}).map(({ first, exchanges, last, tools, effort, date }) => {
  const messages: ChatMessage[] = [];
  if (first) {
    messages.push({
      role: first.role as "system" | "developer",
      content: first.content,
    });
  }
  messages.push(...exchanges.flat());
  if (last !== undefined || messages.length === 0) {
    messages.push({ role: "user", content: last ?? "" });
  }
  return {
    messages,
    ...(tools ? { tools } : {}),
    ...(effort ? { reasoningEffort: effort as ReasoningEffort } : {}),
    date,
  };
});
