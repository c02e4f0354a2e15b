import assert from "node:assert/strict";
import {
  defineTool,
  GptOssClient,
  runToolLoop,
  type SchemaValue,
} from "../mod.ts";
import { chatCompletionBody, startMockServer } from "../testing/mod.ts";

// Type-level checks: `deno task check` fails if a line marked as an
// expected error stops being one, or a typed line becomes an error.
const schema = {
  type: "object",
  properties: {
    city: { type: "string" },
    days: { type: "integer" },
    tags: { type: "array", items: { type: "string" } },
    unit: { enum: ["celsius", "fahrenheit"] },
    note: { type: ["string", "null"] },
  },
  required: ["city"],
} as const;
type Args = SchemaValue<typeof schema>;
export const typed: Args[] = [
  { city: "Oslo" },
  { city: "Oslo", days: 2, tags: ["rain"], unit: "celsius", note: null },
];
// @ts-expect-error a required property is missing
export const missing: Args = { days: 2 };
// @ts-expect-error a property of the wrong type
export const wrong: Args = { city: "Oslo", days: "2" };
// @ts-expect-error a value outside the enum
export const outside: Args = { city: "Oslo", unit: "kelvin" };

Deno.test("defineTool() makes a function tool in OpenAI's shape, execute beside it", () => {
  const tool = defineTool({
    name: "get_weather",
    description: "Current weather",
    parameters: schema,
    execute: ({ city, days }) => `${city} in ${days ?? 1} days`,
  });
  assert.deepEqual(JSON.parse(JSON.stringify(tool)), {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather",
      parameters: schema,
    },
  });
  const bare = defineTool({ name: "now", execute: () => "00:00" });
  assert.deepEqual(bare.function.parameters, {
    type: "object",
    properties: {},
  });
});

Deno.test("a tool loop sends the tools without execute and runs the one called", async () => {
  await using server = await startMockServer();
  server.enqueue({
    json: chatCompletionBody({
      toolCalls: [{ id: "c1", name: "add", arguments: '{"a":2,"b":3}' }],
    }),
  });
  server.enqueue({ json: chatCompletionBody({ content: "5" }) });
  const add = defineTool({
    name: "add",
    parameters: {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
    },
    execute: ({ a, b }) => a + b,
  });
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const result = await runToolLoop(client, [{ role: "user", content: "2+3" }], {
    tools: [add],
  });
  assert.equal(result.toolResults[0].content, "5");
  const sent = server.requests[0].body as { tools: unknown[] };
  assert.deepEqual(sent.tools, [{
    type: "function",
    function: { name: "add", parameters: add.function.parameters },
  }]);
});

Deno.test("a tool loop rejects a tool without execute and an unknown option, naming them", async () => {
  const client = new GptOssClient({ model: "m" });
  const ask = [{ role: "user" as const, content: "hi" }];
  await assert.rejects(
    runToolLoop(client, ask, {
      tools: [{ type: "function", function: { name: "x" } }] as never,
    }),
    /options\.tools\[0\]\.execute/,
  );
  await assert.rejects(
    runToolLoop(client, ask, { tools: [], maxRound: 3 } as never),
    /options\.maxRound.*did you mean maxRounds\?/,
  );
});
