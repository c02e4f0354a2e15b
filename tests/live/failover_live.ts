/**
 * Live, through vllm-router in front of two vLLM servers (started by
 * tests/live/run.ts, the last phase: it stops one of them): a stream that had
 * started when its server stopped fails, or ends as vLLM's "abort", with what
 * arrived kept, and the next request goes through the other server.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type ChatCompletion, GptOssClient, GptOssError } from "../../mod.ts";

const baseUrl = Deno.env.get("GPTOSS_LIVE_URL");
const workers = (Deno.env.get("GPTOSS_LIVE_WORKERS") ?? "").split(",");
const pids = (Deno.env.get("GPTOSS_LIVE_WORKER_PIDS") ?? "").split(",").map(
  Number,
);
if (!baseUrl || workers.length !== 2 || pids.length !== 2) {
  throw new Error("run through tests/live/run.ts (`deno task test:live`)");
}

async function running(worker: string): Promise<number> {
  const text = await (await fetch(`${worker}/metrics`)).text();
  const line = text.split("\n").find((l) =>
    l.startsWith("vllm:num_requests_running")
  );
  return Number(line?.split(" ").at(-1));
}

Deno.test("live vllm-router + 2 vLLM: a server stopped mid-stream fails the stream with its partial kept, and the next request goes through the other", async () => {
  const client = new GptOssClient({
    baseUrl,
    model: "openai/gpt-oss-20b",
    maxRetries: 2,
  });
  const stream = client.streamResponse([{ role: "user", content: "Count" }], {
    maxTokens: 4000,
  });
  const deltas = stream[Symbol.asyncIterator]();
  let reasoning = "";
  while (reasoning.length < 40) {
    const next = await deltas.next();
    assert.ok(!next.done, "the long answer ended before the server stopped");
    reasoning += next.value.reasoning ?? "";
  }
  // Stop the server that is answering.
  const busy = (await running(workers[0])) > 0 ? 0 : 1;
  assert.ok((await running(workers[busy])) > 0, "no server runs the stream");
  Deno.kill(pids[busy], "SIGTERM");
  let kept: ChatCompletion | undefined;
  try {
    for (;;) {
      const next = await deltas.next();
      if (next.done) break;
      reasoning += next.value.reasoning ?? "";
    }
    kept = await stream.completion();
    // Either the stream ended without its end (incomplete, what came is
    // there), or vLLM, stopping, ended it itself with finish reason "abort"
    // and [DONE] (seen on some runs: it aborts what runs when it can).
    assert.ok(
      kept.incomplete === true || kept.choices[0].finish_reason === "abort",
      `a cut stream said it was complete (finish ${
        kept.choices[0].finish_reason
      })`,
    );
  } catch (error) {
    assert.ok(error instanceof GptOssError, String(error));
    kept = (error as GptOssError & { partial?: ChatCompletion }).partial;
    assert.ok(kept, `${error.name} without the partial: ${error.message}`);
  }
  assert.ok(
    kept.choices[0].message.reasoning?.startsWith(reasoning.slice(0, 40)),
    "what arrived before the server stopped was lost",
  );
  // The next request: the router (or the client's retry) finds the other.
  const answer = await client.generateResponse(
    [{ role: "user", content: "Say hello" }],
    { maxTokens: 100 },
  );
  assert.equal(answer.choices[0].message.content, "Hello! How can I help?");
});
