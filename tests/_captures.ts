// Loads the raw captures of real servers under tests/fixtures/captures/
// (each folder's README says which build made them and how): a response as
// `curl -sS -i -N` printed it, and the request body that was sent.
import type { MockReply, WritePlan } from "../testing/mod.ts";

const ROOT = new URL("./fixtures/captures/", import.meta.url);

export interface Capture {
  /** `vllm/02_chat`, for messages. */
  name: string;
  status: number;
  headers: Record<string, string>;
  /** The body as received (for a stream, the SSE text itself). */
  body: string;
  /** The request body that was sent, when the capture has one. */
  request?: Record<string, unknown>;
}

/** Reads `NAME.http` and the request beside it (`NAME.req` or `NAME.request.json`). */
export async function loadCapture(name: string): Promise<Capture> {
  const raw = await Deno.readTextFile(new URL(`${name}.http`, ROOT));
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).split("\r\n");
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head[0])?.[1]);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1)
      .trim();
  }
  let request: Record<string, unknown> | undefined;
  for (const suffix of [".req", ".request.json"]) {
    try {
      request = JSON.parse(
        await Deno.readTextFile(new URL(`${name}${suffix}`, ROOT)),
      );
      break;
    } catch { /* not this one */ }
  }
  return {
    name,
    status,
    headers,
    body: raw.slice(split + 4),
    ...(request ? { request } : {}),
  };
}

/** An LM Studio or Ollama capture: the request and the response, as stored. */
export interface Exchange {
  source: string;
  request: { body?: string } & Record<string, unknown>;
  response: { status: number; sse?: string } & Record<string, unknown>;
}

/** LM Studio's and Ollama's captures: one JSON file per exchange. */
export async function loadExchange(name: string): Promise<Exchange> {
  return JSON.parse(await Deno.readTextFile(new URL(`${name}.json`, ROOT)));
}

/** The capture as the mock server's reply, its body cut into writes. */
export function replyOf(
  capture: Capture,
  writes: WritePlan = "whole",
): MockReply {
  const contentType = capture.headers["content-type"] ??
    "application/octet-stream";
  return contentType.startsWith("text/event-stream")
    ? {
      status: capture.status,
      sse: capture.body,
      writes,
      headers: { "content-type": contentType },
    }
    : {
      status: capture.status,
      text: capture.body,
      writes,
      headers: { "content-type": contentType },
    };
}
