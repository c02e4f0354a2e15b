// Headless Chromium driven over the DevTools protocol, for the browser tests:
// no npm package, only Deno's WebSocket. Debian's `chromium` (installed by
// .ci/run when missing) on the PATH, or $CHROMIUM.

import { findOnPath } from "./_helpers.ts";

/** The browser, if this machine has one. */
export function chromiumPath(): string | undefined {
  return Deno.env.get("CHROMIUM") ||
    findOnPath("chromium", "chromium-browser");
}

/**
 * Whether a browser test should be skipped: only when no Chromium is
 * installed and the run is not CI (`.ci/run` sets `CI=true` and installs
 * Debian's `chromium`, so there a missing browser fails the test).
 */
export function skipWithoutChromium(): boolean {
  return chromiumPath() === undefined && Deno.env.get("CI") !== "true";
}

/** One tab. */
export interface Page {
  /** Evaluates an expression in the page and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Waits until an expression is truthy, or throws after `timeoutMs`. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Uint8Array>;
}

/** Opens `url` in a fresh headless Chromium, runs `use`, and closes everything. */
export async function withPage(
  url: string,
  use: (page: Page) => Promise<void>,
): Promise<void> {
  const profile = await Deno.makeTempDir({ prefix: "gptoss-chromium-" });
  const browser = chromiumPath();
  if (!browser) {
    throw new Error(
      "No Chromium found: install Debian's chromium (apt-get install chromium) or set CHROMIUM to its path.",
    );
  }
  const child = new Deno.Command(browser, {
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--window-size=900,700",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let socket: WebSocket | undefined;
  try {
    let log = "";
    let endpoint: string | undefined;
    while (!endpoint) {
      const { done, value } = await stderr.read();
      if (done) throw new Error(`Chromium did not start:\n${log}`);
      log += value;
      endpoint = /DevTools listening on (ws:\/\/\S+)/.exec(log)?.[1];
    }
    // Keep reading stderr so that Chromium never blocks on a full pipe.
    (async () => {
      while (!(await stderr.read()).done) { /* drain */ }
    })().catch(() => {});
    const ws = new WebSocket(endpoint);
    socket = ws;
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    let nextId = 1;
    const pending = new Map<
      number,
      { resolve: (v: unknown) => void; reject: (e: Error) => void }
    >();
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.error) {
        waiter.reject(new Error(JSON.stringify(message.error)));
      } else waiter.resolve(message.result);
    };
    const send = <T>(
      method: string,
      params: unknown = {},
      sessionId?: string,
    ) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(
          JSON.stringify({
            id,
            method,
            params,
            ...(sessionId ? { sessionId } : {}),
          }),
        );
      });
    const { targetId } = await send<{ targetId: string }>(
      "Target.createTarget",
      { url },
    );
    const { sessionId } = await send<{ sessionId: string }>(
      "Target.attachToTarget",
      { targetId, flatten: true },
    );
    // A fixed viewport, so that screenshots have a known size.
    await send("Emulation.setDeviceMetricsOverride", {
      width: 900,
      height: 700,
      deviceScaleFactor: 1,
      mobile: false,
    }, sessionId);
    const evaluate = async <T>(expression: string): Promise<T> => {
      const result = await send<
        { result: { value: T }; exceptionDetails?: unknown }
      >(
        "Runtime.evaluate",
        { expression, awaitPromise: true, returnByValue: true },
        sessionId,
      );
      if (result.exceptionDetails) {
        throw new Error(JSON.stringify(result.exceptionDetails));
      }
      return result.result.value;
    };
    await use({
      evaluate,
      async waitFor(expression, timeoutMs = 10_000) {
        const until = Date.now() + timeoutMs;
        // The page may still be loading: an expression that throws is not yet true.
        const check =
          `(() => { try { return Boolean(${expression}); } catch { return false; } })()`;
        while (!(await evaluate<boolean>(check))) {
          if (Date.now() > until) {
            throw new Error(
              `Timed out waiting for ${expression}; the page shows: ${await evaluate<
                string
              >("document.body.innerText")}`,
            );
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      async screenshot() {
        const { data } = await send<{ data: string }>(
          "Page.captureScreenshot",
          { format: "png" },
          sessionId,
        );
        return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      },
    });
    await send("Browser.close").catch(() => {});
  } finally {
    try {
      socket?.close();
    } catch { /* closed */ }
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.status;
    await stderr.cancel().catch(() => {});
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

/** The width and height written in a PNG's header. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset);
  if (view.getUint32(0) !== 0x89504e47) throw new Error("not a PNG");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
