/**
 * How the mock server writes a scripted reply to the socket: status, headers,
 * a body split into writes with pauses between them, and, on request, a
 * connection broken instead of ended.
 *
 * @module
 */

import type { RecordedRequest } from "./recorded_request.ts";

/**
 * How a scripted reply is written to the socket.
 *
 * - `"whole"`: one write.
 * - `"event"`: one write per SSE event (how vLLM and llama-server deliver tokens).
 * - `"line"`: one write per line (how Ollama's native API delivers NDJSON).
 * - a number: writes of that many bytes.
 * - an array: the byte offsets to split at.
 *
 * @example Writing a reply one byte at a time
 * ```ts
 * import type { WritePlan } from "@gptoss/client/testing";
 * const oneByteAtATime: WritePlan = 1;
 * ```
 */
export type WritePlan = "whole" | "event" | "line" | number | number[];

/**
 * One scripted reply.
 *
 * @example A server error, then a streamed answer cut off mid-way
 * ```ts
 * import { chatCompletionStream, type MockReply } from "@gptoss/client/testing";
 * const replies: MockReply[] = [
 *   { status: 503, json: { error: { message: "overloaded", type: "server_error" } } },
 *   { sse: chatCompletionStream({ content: "Hello there" }).slice(0, 300), reset: true },
 * ];
 * ```
 */
export interface MockReply {
  /** Default 200. */
  status?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A raw body; give it a content type in `headers`. */
  text?: string;
  /** A raw event stream, sent byte for byte as `text/event-stream`. */
  sse?: string;
  /** Raw newline-delimited JSON, sent byte for byte as `application/x-ndjson`. */
  ndjson?: string;
  /** How the body is split into writes. Default `"whole"`. */
  writes?: WritePlan;
  /** Milliseconds between writes. Default 0. */
  delayMs?: number;
  /** Milliseconds to wait before sending the status and headers. Default 0. */
  stallMs?: number;
  /** Break the connection after the body, without ending it properly. */
  reset?: boolean;
  /** Break the connection after this many bytes of the body. */
  resetAfterBytes?: number;
  /** Stop writing after this many writes, for `pauseMs` (a stall mid-stream). */
  pauseAfterWrites?: number;
  /** How long the pause lasts, in milliseconds; `Infinity` until the client gives up. Default `Infinity`. */
  pauseMs?: number;
}

const encoder = new TextEncoder();

/**
 * @param ms How long to wait.
 * @param signal Ends the wait early (the client went away).
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * @param reply The scripted reply.
 * @param recorded The request it answers; marked `cancelled` if the client stops reading.
 * @returns The response to give `Deno.serve`.
 */
export function send(reply: MockReply, recorded: RecordedRequest): Response {
  const headers = new Headers(reply.headers);
  // One answer per connection, so that connection faults can be aimed at a request.
  headers.set("connection", "close");
  // Pages on another origin (browser tests) may read every answer.
  headers.set("access-control-allow-origin", "*");
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  if (reply.sse !== undefined) {
    if (!headers.has("content-type")) {
      headers.set("content-type", "text/event-stream");
    }
    headers.set("cache-control", "no-cache");
    bytes = encoder.encode(reply.sse);
  } else if (reply.ndjson !== undefined) {
    if (!headers.has("content-type")) {
      headers.set("content-type", "application/x-ndjson");
    }
    bytes = encoder.encode(reply.ndjson);
  } else if (reply.json !== undefined) {
    if (!headers.has("content-type")) {
      headers.set("content-type", "application/json");
    }
    bytes = encoder.encode(JSON.stringify(reply.json));
  } else if (reply.text !== undefined) {
    bytes = encoder.encode(reply.text);
  }
  const status = reply.status ?? 200;
  const plan = reply.writes ?? "whole";
  const cut = reply.resetAfterBytes !== undefined;
  if (bytes && cut) bytes = bytes.subarray(0, reply.resetAfterBytes);
  const reset = reply.reset || cut;
  if (
    !bytes ||
    (plan === "whole" && !reset && reply.pauseAfterWrites === undefined)
  ) {
    return new Response(bytes ?? null, { status, headers });
  }
  const pieces = split(bytes, plan);
  const delay = reply.delayMs ?? 0;
  let i = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i > 0 && delay > 0) {
        await new Promise((resolve) => timer = setTimeout(resolve, delay));
      }
      if (i === reply.pauseAfterWrites) {
        const ms = reply.pauseMs ?? Infinity;
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (Number.isFinite(ms)) timer = setTimeout(resolve, ms);
        });
      }
      if (i < pieces.length) {
        controller.enqueue(pieces[i++]);
        return;
      }
      if (reset) controller.error(new Error("mock reset"));
      else controller.close();
    },
    cancel() {
      clearTimeout(timer);
      wake?.();
      recorded.cancelled = true;
    },
  });
  return new Response(body, { status, headers });
}

/** Splits bytes into writes according to a plan. */
function split(
  bytes: Uint8Array<ArrayBuffer>,
  plan: WritePlan,
): Uint8Array<ArrayBuffer>[] {
  if (plan === "whole") return [bytes];
  const cuts: number[] = [];
  if (plan === "event") {
    // After each blank line: "\n\n" or "\r\n\r\n".
    for (let i = 2; i < bytes.length; i++) {
      if (
        bytes[i - 1] === 10 &&
        (bytes[i - 2] === 10 ||
          (bytes[i - 2] === 13 && bytes[i - 3] === 10 && bytes[i - 4] === 13))
      ) cuts.push(i);
    }
  } else if (plan === "line") {
    for (let i = 1; i < bytes.length; i++) {
      if (bytes[i - 1] === 10) cuts.push(i);
    }
  } else if (typeof plan === "number") {
    const size = Math.max(1, Math.floor(plan));
    for (let at = size; at < bytes.length; at += size) cuts.push(at);
  } else {cuts.push(
      ...plan.filter((at) => at > 0 && at < bytes.length).sort((a, b) => a - b),
    );}
  const pieces: Uint8Array<ArrayBuffer>[] = [];
  let from = 0;
  for (const at of cuts) {
    if (at > from) pieces.push(bytes.subarray(from, at));
    from = at;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}
