/**
 * Every options shape of the public API rejects a key it does not have in
 * the same way: a ConfigError that names the key and the nearest valid one,
 * before anything is sent.
 */

import assert from "node:assert/strict";
import {
  ConfigError,
  countMessageTokens,
  defineTool,
  generateObject,
  GptOssClient,
  renderHarmonyPrompt,
  runToolLoop,
  streamToolLoop,
  truncateMessages,
  validateContext,
} from "../mod.ts";
import { startMockServer } from "../testing/mod.ts";
import { nearestKey } from "../src/checks.ts";

const ask = [{ role: "user" as const, content: "Hi" }];
const tools = [defineTool({ name: "noop", execute: () => "" })];

/** Each shape: how to call it with one extra key, and the typo to try. */
const SHAPES: {
  name: string;
  call: (extra: Record<string, unknown>) => unknown;
  typo: string;
  meant: string;
}[] = [
  {
    name: "GptOssConfig",
    call: (x) => new GptOssClient(x),
    typo: "maxToken",
    meant: "maxTokens",
  },
  {
    name: "RequestOptions (generateResponse)",
    call: (x) => new GptOssClient({ model: "m" }).generateResponse(ask, x),
    typo: "temprature",
    meant: "temperature",
  },
  {
    name: "RequestOptions (streamResponse)",
    call: (x) => new GptOssClient({ model: "m" }).streamResponse(ask, x),
    typo: "reasoningEfort",
    meant: "reasoningEffort",
  },
  {
    name: "LookupOptions (listModels)",
    call: (x) => new GptOssClient().listModels(x),
    typo: "timout",
    meant: "timeout",
  },
  {
    name: "LookupOptions (discover)",
    call: (x) => new GptOssClient().discover(x),
    typo: "signl",
    meant: "signal",
  },
  {
    name: "LookupOptions (testConnection)",
    call: (x) => new GptOssClient().testConnection(x),
    typo: "maxRetrys",
    meant: "maxRetries",
  },
  {
    name: "CountTokensOptions",
    call: (x) => new GptOssClient().countTokens(ask, x),
    typo: "locall",
    meant: "local",
  },
  {
    name: "ContextOptions (validateContext)",
    call: (x) => validateContext(ask, x),
    typo: "maxContextSise",
    meant: "maxContextSize",
  },
  {
    name: "ContextOptions (truncateMessages)",
    call: (x) => truncateMessages(ask, x),
    typo: "keepFirstUserMesage",
    meant: "keepFirstUserMessage",
  },
  {
    name: "countMessageTokens options",
    call: (x) => countMessageTokens(ask, x),
    typo: "tokeniser",
    meant: "tokenizer",
  },
  {
    name: "HarmonyPromptOptions",
    call: (x) => renderHarmonyPrompt(ask, x),
    typo: "currentdate",
    meant: "currentDate",
  },
  {
    name: "Timeouts",
    call: (x) => new GptOssClient({ timeout: x }),
    typo: "idel",
    meant: "idle",
  },
  {
    name: "ToolLoopOptions (runToolLoop)",
    call: (x) =>
      runToolLoop(new GptOssClient({ model: "m" }), ask, { tools, ...x }),
    typo: "maxRound",
    meant: "maxRounds",
  },
  {
    name: "ToolLoopOptions (streamToolLoop)",
    call: (x) =>
      streamToolLoop(new GptOssClient({ model: "m" }), ask, { tools, ...x })
        .next(),
    typo: "throwOnToolErrors",
    meant: "throwOnToolError",
  },
  {
    name: "ObjectOptions",
    call: (x) =>
      generateObject(new GptOssClient({ model: "m" }), ask, {
        schema: {},
        ...x,
      }),
    typo: "validator",
    meant: "validate",
  },
  {
    name: "StreamBodyOptions",
    call: (x) =>
      new GptOssClient({ model: "m" }).streamResponse(ask).toReadableStream(
        "ndjson",
        x,
      ),
    typo: "errorMesage",
    meant: "errorMessage",
  },
  {
    name: "MockServerOptions",
    call: (x) => startMockServer(x),
    typo: "model",
    meant: "models",
  },
];

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

for (const shape of SHAPES) {
  Deno.test(`${shape.name} rejects an unknown key, naming the nearest valid one`, async () => {
    const error = await failure(() => shape.call({ [shape.typo]: 1 }));
    assert.ok(error instanceof ConfigError, `${shape.name}: got ${error}`);
    assert.match(error.field, new RegExp(`\\.${shape.typo}$`));
    assert.match(error.message, new RegExp(`did you mean ${shape.meant}\\?`));
    const far = await failure(() => shape.call({ zzzzzzzzzz: 1 }));
    assert.ok(far instanceof ConfigError);
    assert.match(far.message, /one of: /, "no near key: every key is listed");
  });
}

Deno.test("nearestKey() takes a case slip, a prefix or a near spelling, and nothing far", () => {
  const keys = ["maxTokens", "maxRetries", "temperature", "timeout", "topP"];
  assert.equal(nearestKey("MAXTOKENS", keys), "maxTokens");
  assert.equal(nearestKey("maxTok", keys), "maxTokens");
  assert.equal(nearestKey("maxRetires", keys), "maxRetries");
  assert.equal(nearestKey("temprature", keys), "temperature");
  assert.equal(nearestKey("top", keys), "topP");
  assert.equal(nearestKey("colour", keys), undefined);
});
