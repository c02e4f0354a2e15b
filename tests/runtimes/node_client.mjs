// Runs under Node: the client, bundled to plain ESM by `deno bundle`, against
// the mock server. Prints what it saw as one JSON line.
//   node tests/runtimes/node_client.mjs <bundle.mjs> <mock server URL>
import { pathToFileURL } from "node:url";

const [bundle, url] = process.argv.slice(2);
const { GptOssClient, ApiError, AbortError, TimeoutError } = await import(
  pathToFileURL(bundle).href
);
const client = new GptOssClient({ baseUrl: url, model: "m", maxRetries: 0 });
const ask = [{ role: "user", content: "Hello from Node" }];
const results = { node: process.version };

const whole = await client.generateResponse(ask);
results.nonStream = {
  content: whole.choices[0].message.content,
  reasoning: whole.choices[0].message.reasoning,
};

let content = "";
let reasoning = "";
for await (const delta of client.streamResponse(ask)) {
  content += delta.content ?? "";
  reasoning += delta.reasoning ?? "";
}
results.stream = { content, reasoning };

const controller = new AbortController();
try {
  for await (
    const _delta of client.streamResponse(ask, { signal: controller.signal })
  ) {
    controller.abort();
  }
  results.abort = "not aborted";
} catch (error) {
  results.abort = {
    name: error.name,
    isAbortError: error instanceof AbortError,
    incomplete: error.partial?.incomplete === true,
  };
}

try {
  await client.generateResponse(ask);
  results.error = "no error";
} catch (error) {
  results.error = {
    name: error.name,
    isApiError: error instanceof ApiError,
    status: error.status,
  };
}
try {
  await client.generateResponse(ask, { timeout: { headers: 200 } });
  results.timeout = "no timeout";
} catch (error) {
  results.timeout = {
    isTimeoutError: error instanceof TimeoutError,
    limit: error.limit,
  };
}
console.log(JSON.stringify(results));
