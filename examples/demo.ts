/**
 * The demo: streams a chat from a real GPT-OSS server when one answers at
 * GPT_OSS_BASE_URL (default http://localhost:8000), otherwise from the
 * built-in mock server, through the command line in cli.ts.
 *
 *   deno task demo
 */
import { GptOssClient } from "@gptoss/client";
import { main } from "@gptoss/client/cli";
import { startMockServer } from "@gptoss/client/testing";

const wanted = Deno.env.get("GPT_OSS_BASE_URL") ?? "http://localhost:8000";
const real = new GptOssClient({
  baseUrl: wanted,
  logger: { debug() {}, info() {}, warn() {}, error() {} },
});

let mock: Awaited<ReturnType<typeof startMockServer>> | undefined;
let url = wanted;
if (await real.testConnection({ timeout: 1500 })) {
  console.error(`Using the GPT-OSS server at ${wanted}.\n`);
} else {
  mock = await startMockServer({ eventDelayMs: 25 });
  url = mock.url;
  console.error(
    `No server answers at ${wanted}; using the built-in mock server at ${url}.\n`,
  );
}

const prompt = Deno.args.join(" ") ||
  "Explain in two sentences why GPT-OSS keeps its reasoning apart from its answer.";
const code = await main(["--url", url, "--reasoning", "show", prompt]);
await mock?.close();
Deno.exit(code);
