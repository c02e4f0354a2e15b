/**
 * Live, through vllm-router in front of two vLLM servers (started by
 * tests/live/run.ts, which starts the stopped server again afterwards): a
 * request that has received nothing yet when its server stops succeeds
 * through the other server, by the router's retry or the client's.
 *
 * @module
 */

import assert from "node:assert/strict";
import { GptOssClient } from "../../mod.ts";

const baseUrl = Deno.env.get("GPTOSS_LIVE_URL");
const pids = (Deno.env.get("GPTOSS_LIVE_WORKER_PIDS") ?? "").split(",").map(
  Number,
);
if (!baseUrl || pids.length !== 2) {
  throw new Error("run through tests/live/run.ts (`deno task test:live`)");
}

Deno.test("live vllm-router + 2 vLLM: requests waiting on a server that stops before answering anything succeed through the other", async () => {
  const client = new GptOssClient({
    baseUrl,
    model: "openai/gpt-oss-20b",
    maxRetries: 2,
    maxTokens: 100,
  });
  // The second server stops answering (frozen: it takes connections and
  // says nothing), then stops for good.
  Deno.kill(pids[1], "SIGSTOP");
  let settled = 0;
  const asked = [1, 2, 3, 4].map(() =>
    client.generateResponse([{ role: "user", content: "Say hello" }])
      .finally(() => settled++)
  );
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const waiting = asked.length - settled;
  if (waiting === 0) {
    Deno.kill(pids[1], "SIGCONT");
    assert.fail(
      "no request was waiting on the stopped server: the test proves nothing",
    );
  }
  // Killed with its engine process, which would otherwise outlive it.
  await new Deno.Command("pkill", {
    args: ["-KILL", "-P", String(pids[1])],
  }).output();
  Deno.kill(pids[1], "SIGKILL");
  const answers = await Promise.all(asked);
  for (const answer of answers) {
    assert.equal(answer.choices[0].message.content, "Hello! How can I help?");
  }
  console.log(
    `${waiting} of ${asked.length} requests were waiting on the stopped server; all answered`,
  );
});
