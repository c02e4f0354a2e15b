/**
 * A mock GPT-OSS server: a real HTTP server on 127.0.0.1 and a free port that
 * speaks the OpenAI-compatible wire format of vLLM, Ollama, llama-server and
 * LM Studio. It answers `GET /v1/models` and `POST /v1/chat/completions`
 * (streamed or not) with scripted replies, and records every request.
 *
 * @module
 */

import {
  type AnswerSpec,
  chatCompletionBody,
  chatCompletionStream,
  type ReasoningField,
} from "./replies.ts";

/**
 * A request as the mock server received it.
 *
 * @example
 * ```ts
 * import type { RecordedRequest } from "@gptoss/client/testing";
 * const wasStreamed = (r: RecordedRequest) => (r.body as { stream?: boolean }).stream === true;
 * ```
 */
export interface RecordedRequest {
  /** The HTTP method. */
  method: string;
  /** The path, e.g. `/v1/chat/completions`. */
  path: string;
  /** The headers, names in lower case. */
  headers: Record<string, string>;
  /** The body parsed as JSON, or its text when it is not JSON, or `undefined`. */
  body: unknown;
  /** Set when the client stopped reading the reply before its end. */
  cancelled: boolean;
}

/**
 * How a scripted reply is written to the socket.
 *
 * - `"whole"`: one write.
 * - `"event"`: one write per SSE event (how vLLM and llama-server deliver tokens).
 * - a number: writes of that many bytes.
 * - an array: the byte offsets to split at.
 *
 * @example
 * ```ts
 * import type { WritePlan } from "@gptoss/client/testing";
 * const oneByteAtATime: WritePlan = 1;
 * ```
 */
export type WritePlan = "whole" | "event" | number | number[];

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
  /** How the body is split into writes. Default `"whole"`. */
  writes?: WritePlan;
  /** Milliseconds between writes. Default 0. */
  delayMs?: number;
  /** Milliseconds to wait before sending the status and headers. Default 0. */
  stallMs?: number;
  /** Break the connection after the body, without ending it properly. */
  reset?: boolean;
}

/**
 * Options for {@link startMockServer}.
 *
 * @example
 * ```ts
 * import type { MockServerOptions } from "@gptoss/client/testing";
 * const options: MockServerOptions = { models: ["gpt-oss:20b"], reasoningField: "reasoning" };
 * ```
 */
export interface MockServerOptions {
  /** The ids listed at `/v1/models`. Default `["openai/gpt-oss-20b"]`. */
  models?: string[];
  /** Where the default answer puts its reasoning. Default `"reasoning"`. */
  reasoningField?: ReasoningField;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Milliseconds between the events of the default streamed answer, to look like a model typing. Default 0. */
  eventDelayMs?: number;
}

/**
 * A running mock server.
 *
 * @example
 * ```ts
 * import { startMockServer } from "@gptoss/client/testing";
 * await using server = await startMockServer();
 * server.enqueue({ json: { error: "model 'x' not found" }, status: 404 });
 * console.log(server.url); // http://127.0.0.1:<port>
 * ```
 */
export interface MockServer extends AsyncDisposable {
  /** The server's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /**
   * Scripts the next replies for a path (chat completions by default). When
   * no reply is scripted, the server answers like a GPT-OSS model would.
   */
  enqueue(reply: MockReply, path?: string): void;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

const CHAT = "/v1/chat/completions";
const encoder = new TextEncoder();

/**
 * Starts a mock GPT-OSS server on 127.0.0.1 and a free port.
 *
 * @param options The models to list, the reasoning field, an API key to require.
 * @returns The running server; close it (or use `await using`) when done.
 *
 * @example
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 *
 * await using server = await startMockServer();
 * const client = new GptOssClient({ baseUrl: server.url });
 * const completion = await client.generateResponse([{ role: "user", content: "Hi" }]);
 * console.log(completion.choices[0].message.content);
 * console.log(server.requests.length); // 2: the model lookup and the chat
 * ```
 */
export async function startMockServer(
  options: MockServerOptions = {},
): Promise<MockServer> {
  const models = options.models ?? ["openai/gpt-oss-20b"];
  const requests: RecordedRequest[] = [];
  const queues = new Map<string, MockReply[]>();
  const { promise: listening, resolve: onListen } = Promise.withResolvers<
    Deno.NetAddr
  >();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: onListen as (addr: Deno.NetAddr) => void,
    // A reply with `reset` ends its stream with an error on purpose.
    onError: () => new Response(null, { status: 500 }),
  }, async (request) => {
    const recorded = await record(request);
    requests.push(recorded);
    if (
      options.apiKey &&
      recorded.headers.authorization !== `Bearer ${options.apiKey}`
    ) {
      return send({
        status: 401,
        json: {
          error: { message: "Invalid API key", type: "authentication_error" },
        },
      }, recorded);
    }
    const reply = queues.get(recorded.path)?.shift() ??
      defaultReply(recorded, models, options);
    if (reply.stallMs) await sleep(reply.stallMs, request.signal);
    return send(reply, recorded);
  });
  const address = await listening;
  const close = async () => {
    await server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    enqueue(reply: MockReply, path = CHAT) {
      const queue = queues.get(path) ?? [];
      queue.push(reply);
      queues.set(path, queue);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function record(request: Request): Promise<RecordedRequest> {
  const text = await request.text();
  let body: unknown = text === "" ? undefined : text;
  try {
    if (text) body = JSON.parse(text);
  } catch { /* kept as text */ }
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    headers: Object.fromEntries(request.headers),
    body,
    cancelled: false,
  };
}

function defaultReply(
  request: RecordedRequest,
  models: string[],
  { reasoningField, eventDelayMs }: MockServerOptions,
): MockReply {
  if (request.method === "GET" && request.path === "/v1/models") {
    return {
      json: {
        object: "list",
        data: models.map((id) => ({
          id,
          object: "model",
          created: 1_764_000_000,
          owned_by: "mock",
        })),
      },
    };
  }
  if (request.method !== "POST" || request.path !== CHAT) {
    return {
      status: 404,
      json: {
        error: { message: `No route for ${request.path}`, type: "not_found" },
      },
    };
  }
  const body = (request.body ?? {}) as {
    messages?: { role?: string; content?: unknown }[];
    stream?: boolean;
  };
  const question = [...(body.messages ?? [])].reverse().find((m) =>
    m.role === "user"
  );
  const asked = typeof question?.content === "string"
    ? question.content
    : "(no question)";
  const spec: AnswerSpec = {
    reasoningField,
    reasoning:
      `The user asks: "${asked}". I am a mock server, so I will say so and echo the question.`,
    content:
      `You asked: "${asked}". This answer comes from the built-in mock server; point baseUrl at a real GPT-OSS server for real answers.`,
  };
  return body.stream
    ? {
      sse: chatCompletionStream(spec),
      writes: "event",
      delayMs: eventDelayMs ?? 0,
    }
    : { json: chatCompletionBody(spec) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
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

function send(reply: MockReply, recorded: RecordedRequest): Response {
  const headers = new Headers(reply.headers);
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  if (reply.sse !== undefined) {
    if (!headers.has("content-type")) {
      headers.set("content-type", "text/event-stream");
    }
    headers.set("cache-control", "no-cache");
    bytes = encoder.encode(reply.sse);
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
  if (!bytes || (plan === "whole" && !reply.reset)) {
    return new Response(bytes ?? null, { status, headers });
  }
  const pieces = split(bytes, plan);
  const delay = reply.delayMs ?? 0;
  let i = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i > 0 && delay > 0) {
        await new Promise((resolve) => timer = setTimeout(resolve, delay));
      }
      if (i < pieces.length) {
        controller.enqueue(pieces[i++]);
        return;
      }
      if (reply.reset) controller.error(new Error("mock reset"));
      else controller.close();
    },
    cancel() {
      clearTimeout(timer);
      recorded.cancelled = true;
    },
  });
  return new Response(body, { status, headers });
}

/** Splits bytes into writes according to a plan. */
export function split(
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
