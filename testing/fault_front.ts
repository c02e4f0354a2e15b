/**
 * The mock server's front door: a TCP listener that passes each connection
 * through to the HTTP server behind it, unless a connection fault is queued
 * for it. Faults happen below HTTP, where a real server or proxy fails:
 * closing the connection before any byte, or answering with bytes that are
 * not HTTP at all. The mock server closes every connection after one answer,
 * so each request gets its own connection and faults apply request by
 * request, in order.
 *
 * @module
 */

/**
 * What happens to the next connection: hang up before any byte, or send
 * bytes that are not an HTTP response and hang up.
 *
 * @example Breaking the next connections
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { startMockServer, type ConnectionFault } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * await using server = await startMockServer();
 * const fault: ConnectionFault = "hang-up";
 * server.failConnection(fault); // the first try fails before any byte…
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
 * const completion = await client.generateResponse([{ role: "user", content: "Hi" }]);
 * assert.equal(completion.choices[0].finish_reason, "stop"); // …and the retry answers
 * assert.equal(server.requests.length, 1);
 * ```
 */
export type ConnectionFault = "hang-up" | { garbage: string | Uint8Array };

/** A listener that forwards connections, or fails them on purpose. */
export interface FaultFront {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** Queues a fault for the next connection. */
  fail(fault: ConnectionFault): void;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * @param target The port of the HTTP server behind, on 127.0.0.1.
 * @returns The running front.
 */
export function startFaultFront(target: number, port = 0): FaultFront {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  const faults: ConnectionFault[] = [];
  const open = new Set<Deno.Conn>();
  const handlers = new Set<Promise<void>>();

  const track = (conn: Deno.Conn) => {
    open.add(conn);
    return () => {
      if (!open.delete(conn)) return;
      try {
        conn.close();
      } catch { /* already closed */ }
    };
  };

  const handle = async (conn: Deno.Conn) => {
    const closeClient = track(conn);
    const fault = faults.shift();
    if (fault === "hang-up") {
      closeClient();
      return;
    }
    if (fault) {
      const bytes = typeof fault.garbage === "string"
        ? new TextEncoder().encode(fault.garbage)
        : fault.garbage;
      try {
        await conn.write(bytes);
      } catch { /* the client left */ }
      closeClient();
      return;
    }
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: target });
    } catch {
      closeClient();
      return;
    }
    const closeUpstream = track(upstream);
    // When either side is done, both are: a client that goes away must be
    // seen as gone by the server behind, not as a half-closed connection.
    const done = () => {
      closeClient();
      closeUpstream();
    };
    await Promise.all([
      pump(conn, upstream).finally(done),
      pump(upstream, conn).finally(done),
    ]);
  };

  const accepting = (async () => {
    for await (const conn of listener) {
      const handler = handle(conn).catch(() => {});
      handlers.add(handler);
      handler.finally(() => handlers.delete(handler));
    }
  })().catch(() => {});

  return {
    port: (listener.addr as Deno.NetAddr).port,
    fail(fault: ConnectionFault) {
      faults.push(fault);
    },
    async close() {
      listener.close();
      await accepting;
      for (const conn of [...open]) {
        open.delete(conn);
        try {
          conn.close();
        } catch { /* already closed */ }
      }
      await Promise.all([...handlers]);
    },
  };
}

/** Copies bytes from one connection to the other until either ends. */
async function pump(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(16 * 1024);
  try {
    for (;;) {
      const n = await from.read(buffer);
      if (n === null) return;
      let written = 0;
      while (written < n) {
        written += await to.write(buffer.subarray(written, n));
      }
    }
  } catch { /* a side closed */ }
}
