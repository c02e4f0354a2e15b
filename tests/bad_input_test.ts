/**
 * Bad input gets a typed error, whatever it is: every public function and
 * method of the three library entry points, called with arbitrary values
 * (fast-check's `anything()`, frozen objects, messages of the wrong shape)
 * in every argument, returns or throws a `GptOssError`, never a TypeError
 * or a RangeError from inside the library. (A getter of the caller's that
 * throws is the caller's own error, passed on as it is.)
 */

import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import {
  countMessageTokens,
  createConsoleLogger,
  defineTool,
  estimatingTokenizer,
  generateObject,
  GptOssClient,
  GptOssError,
  parseToolCalls,
  renderHarmonyPrompt,
  runToolLoop,
  silentLogger,
  streamToolLoop,
  truncateMessages,
  validateContext,
} from "../mod.ts";
import { gptOssTokenizer } from "../tokenizer/mod.ts";
import { closedPort } from "./_helpers.ts";

const port = closedPort();
const client = new GptOssClient({
  baseUrl: `http://127.0.0.1:${port}`,
  model: "m",
  maxRetries: 0,
  logger: silentLogger,
});
const ask = [{ role: "user" as const, content: "Hi" }];

/** Values a careless caller might pass, beyond fast-check's own. */
const hostile = fc.oneof(
  fc.anything({ withNullPrototype: true, withObjectString: true }),
  fc.constantFrom<unknown>(
    Object.freeze({ role: "user", content: "x" }),
    Object.freeze([]),
    [null],
    [{ role: "user", content: 5 }],
    [{ role: "assistant", content: null, tool_calls: "x" }],
    [{ role: "tool", content: [{ type: "text" }] }],
    { maxContextSize: "8k" },
    { tools: [{}] },
    NaN,
    -1,
    Symbol("s"),
    () => {},
    new Date(Number.NaN),
  ),
);

/** Each public function or method, given hostile values in its arguments. */
const CALLS: [string, (a: unknown, b: unknown) => unknown][] = [
  ["new GptOssClient", (a) => new GptOssClient(a as never)],
  [
    "generateResponse",
    (a, b) => client.generateResponse(a as never, b as never),
  ],
  ["streamResponse", async (a, b) => {
    for await (const _ of client.streamResponse(a as never, b as never)) {
      /* */
    }
  }],
  [
    "streamResponse(…).completion",
    (a, b) =>
      client.streamResponse(ask, { maxTokens: 10 }).toReadableStream(
        a as never,
        b as never,
      ),
  ],
  ["countTokens", (a, b) => client.countTokens(a as never, b as never)],
  ["listModels", (a) => client.listModels(a as never)],
  ["discover", (a) => client.discover(a as never)],
  ["testConnection", (a) => client.testConnection(a as never)],
  ["validateContext", (a, b) => validateContext(a as never, b as never)],
  ["truncateMessages", (a, b) => truncateMessages(a as never, b as never)],
  ["countMessageTokens", (a, b) => countMessageTokens(a as never, b as never)],
  [
    "renderHarmonyPrompt",
    (a, b) => renderHarmonyPrompt(a as never, b as never),
  ],
  ["parseToolCalls", (a) => parseToolCalls(a as never)],
  ["defineTool", (a) => defineTool(a as never)],
  ["runToolLoop", (a, b) => runToolLoop(client, a as never, b as never)],
  [
    "streamToolLoop",
    (a, b) => streamToolLoop(client, a as never, b as never).next(),
  ],
  ["runToolLoop(client)", (a) => runToolLoop(a as never, ask, { tools: [] })],
  ["generateObject", (a, b) => generateObject(client, a as never, b as never)],
  [
    "generateObject(client)",
    (a) => generateObject(a as never, ask, { schema: {} }),
  ],
  ["createConsoleLogger", (a) => createConsoleLogger(a as never)],
  ["estimatingTokenizer.count", (a) => estimatingTokenizer.count(a as never)],
  ["gptOssTokenizer.count", (a) => gptOssTokenizer.count(a as never)],
  ["gptOssTokenizer.encode", (a) => gptOssTokenizer.encode(a as never)],
  ["gptOssTokenizer.decode", (a) => gptOssTokenizer.decode(a as never)],
];

for (const [name, call] of CALLS) {
  Deno.test(`${name}() throws only typed errors for any input`, async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (a, b) => {
        try {
          await call(a, b);
        } catch (error) {
          assert.ok(
            error instanceof GptOssError,
            `${name}(${String(describe(a))}, ${String(describe(b))}) threw ${
              (error as Error)?.name
            }: ${(error as Error)?.message}`,
          );
        }
      }),
      { numRuns: 150, seed: 4242 },
    );
  });
}

function describe(value: unknown): string {
  try {
    return typeof value === "symbol"
      ? value.toString()
      : JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
