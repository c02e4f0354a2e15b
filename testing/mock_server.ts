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
import { type MockReply, send, sleep } from "./mock_reply.ts";
import type { RecordedRequest } from "./recorded_request.ts";
import { MockOllama, type MockOllamaOptions } from "./mock_ollama.ts";
import { type ConnectionFault, startFaultFront } from "./fault_front.ts";
import { checkKnownKeys, type KeyRegistry } from "../src/checks.ts";
import type { Tokenizer } from "../src/context/tokenizer.ts";
import { countRenderedTokens } from "../src/context/rendered_tokens.ts";
import { estimatingTokenizer } from "../src/context/estimate.ts";
import { renderHarmonyPrompt } from "../src/harmony/prompt.ts";
import type { ChatMessage } from "../src/types.ts";
import type { ToolDefinition } from "../src/wire/tools.ts";
import {
  countingReply,
  type CountingServer,
  MOCK_MAX_MODEL_LEN,
} from "./counting_replies.ts";
import {
  responsesBody,
  type ResponsesDialect,
  responsesStream,
} from "./responses_replies.ts";

/**
 * Options for {@link startMockServer}.
 *
 * @example Imitating Ollama
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
  /**
   * Serve a server's token counting endpoints: vLLM's `/tokenize`, or
   * llama.cpp's `/apply-template` and `/tokenize`. The model list then says
   * which server it is, as the real one does. Default: none (404).
   */
  counting?: CountingServer;
  /** What the counting endpoints count with. Default: the built-in estimator. */
  tokenizer?: Tokenizer;
  /**
   * With `counting: "vllm"`: the version `GET /version` reports, which
   * also decides how the mock's vLLM renders a chat request. Default
   * `"0.32.0"`.
   */
  vllmVersion?: string;
  /**
   * With `counting: "vllm"`: serve `POST /v1/chat/completions/render`, as
   * vLLM 0.2x does and later ones do with `--enable-scale-out`. Default
   * `false`: a 403, as a later vLLM answers without that flag.
   */
  vllmRender?: boolean;
  /**
   * Behave like Ollama: its discovery endpoints, the window its model is
   * loaded with, its OpenAI route cutting a prompt too long for that window
   * without a word, and its native `/api/chat` (NDJSON). Counts with
   * `tokenizer`.
   */
  ollama?: MockOllamaOptions;
  /**
   * How `POST /v1/responses` answers: in the events of `"vllm"` (default),
   * `"lmstudio"` or `"ollama"` (the default with `ollama`), or `false` for
   * a server without the route (404).
   */
  responses?: ResponsesDialect | false;
  /** The port to listen on, on 127.0.0.1. Default: a free one. */
  port?: number;
}

/**
 * A running mock server.
 *
 * @example Scripting an error reply
 * ```ts
 * import { ApiError, GptOssClient } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * await using server = await startMockServer();
 * server.enqueue({ json: { error: "model 'x' not found" }, status: 404 });
 * assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
 * const client = new GptOssClient({ baseUrl: server.url, model: "x" });
 * await assert.rejects(
 *   client.generateResponse([{ role: "user", content: "Hi" }]),
 *   (error) => error instanceof ApiError && error.status === 404,
 * );
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
  /**
   * Fails the next connection below HTTP: `"hang-up"` closes it before any
   * byte; `{ garbage }` sends bytes that are not an HTTP response, then
   * closes it. Queued faults apply to connections in the order they come;
   * every answer closes its connection, so each request gets a new one.
   */
  failConnection(fault: ConnectionFault): void;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

const CHAT = "/v1/chat/completions";
const RESPONSES = "/v1/responses";

const MOCK_KEYS: KeyRegistry<MockServerOptions> = {
  models: true,
  reasoningField: true,
  apiKey: true,
  eventDelayMs: true,
  counting: true,
  tokenizer: true,
  vllmVersion: true,
  vllmRender: true,
  ollama: true,
  responses: true,
  port: true,
};

/**
 * Starts a mock GPT-OSS server on 127.0.0.1 and a free port.
 *
 * @param options The models to list, the reasoning field, an API key to require.
 * @returns The running server; close it (or use `await using`) when done.
 *
 * @example Testing code that calls the client
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = await startMockServer();
 * const client = new GptOssClient({ baseUrl: server.url });
 * const completion = await client.generateResponse([{ role: "user", content: "Hi" }]);
 * assert.match(completion.choices[0].message.content!, /You asked: "Hi"/);
 * assert.deepEqual(server.requests.map((r) => r.path), ["/v1/models", "/v1/chat/completions"]);
 * ```
 */
export async function startMockServer(
  options: MockServerOptions = {},
): Promise<MockServer> {
  checkKnownKeys("options", options, MOCK_KEYS);
  const models = options.models ?? ["openai/gpt-oss-20b"];
  const requests: RecordedRequest[] = [];
  const ollama = options.ollama
    ? new MockOllama(options.ollama, models[0], options.tokenizer)
    : undefined;
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
    if (request.method === "OPTIONS") {
      // A browser's CORS preflight: any origin, the headers the client sends.
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-origin": "*",
          "access-control-allow-methods": "GET, POST, OPTIONS",
          "access-control-allow-headers": "authorization, content-type, accept",
          "access-control-max-age": "600",
          connection: "close",
        },
      });
    }
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
      ollama?.reply(recorded) ??
      defaultReply(recorded, models, options);
    if (reply.stallMs) {
      await sleep(reply.stallMs, request.signal);
      // The client left while the server was still to answer.
      if (request.signal.aborted) recorded.cancelled = true;
    }
    return send(reply, recorded);
  });
  const address = await listening;
  const front = startFaultFront(address.port, options.port);
  const close = async () => {
    await front.close();
    await server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${front.port}`,
    requests,
    failConnection(fault: ConnectionFault) {
      front.fail(fault);
    },
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
  options: MockServerOptions,
): MockReply {
  const { reasoningField, eventDelayMs, counting } = options;
  if (request.method === "GET" && request.path === "/v1/models") {
    return {
      json: {
        object: "list",
        data: models.map((id) => ({
          id,
          object: "model",
          created: 1_764_000_000,
          owned_by: counting ?? "mock",
          ...(counting === "vllm" ? { max_model_len: MOCK_MAX_MODEL_LEN } : {}),
        })),
      },
    };
  }
  const counted = counting && countingReply(request, counting, options);
  if (counted) return counted;
  if (request.method === "POST" && request.path === RESPONSES) {
    const dialect = options.responses ??
      (options.ollama ? "ollama" : "vllm");
    if (dialect !== false) return responsesReply(request, dialect, options);
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
  const reasoning =
    `The user asks: "${asked}". I am a mock server, so I will say so and echo the question.`;
  const content =
    `You asked: "${asked}". This answer comes from the built-in mock server; point baseUrl at a real GPT-OSS server for real answers.`;
  const promptTokens = promptTokensOf(body, options.tokenizer);
  const completionTokens = Math.ceil((reasoning.length + content.length) / 4);
  const spec: AnswerSpec = {
    reasoningField,
    reasoning,
    content,
    // The prompt as a server counts it: the template's rendering.
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
  return body.stream
    ? {
      sse: chatCompletionStream(spec),
      writes: "event",
      delayMs: eventDelayMs ?? 0,
    }
    : { json: chatCompletionBody(spec) };
}

/** The prompt tokens of a chat request, as the gpt-oss chat template renders it. */
function promptTokensOf(
  body: { messages?: unknown; tools?: unknown },
  tokenizer: Tokenizer = estimatingTokenizer,
): number {
  try {
    return countRenderedTokens(
      renderHarmonyPrompt(
        body.messages as ChatMessage[],
        Array.isArray(body.tools)
          ? { tools: body.tools as ToolDefinition[] }
          : {},
      ),
      tokenizer,
    );
  } catch {
    return 20; // messages the template cannot render: a request a test made up
  }
}

/** The default answer of `POST /v1/responses`, in one server's events. */
function responsesReply(
  request: RecordedRequest,
  dialect: ResponsesDialect,
  options: MockServerOptions,
): MockReply {
  const body = (request.body ?? {}) as {
    input?: unknown;
    stream?: boolean;
    tools?: { name?: string; parameters?: unknown; description?: string }[];
  };
  if (typeof body.input !== "string" && !Array.isArray(body.input)) {
    return {
      status: 400,
      json: {
        error: {
          message: "input: a string or an array of items is required",
          type: "invalid_request_error",
        },
      },
    };
  }
  const messages = messagesOfInput(body.input);
  const question = [...messages].reverse().find((m) => m.role === "user");
  const asked = typeof question?.content === "string"
    ? question.content
    : "(no question)";
  const reasoning = `The user asks: "${asked}". I am a mock server.`;
  const content =
    `You asked: "${asked}". This answer comes from the built-in mock server's /v1/responses.`;
  const tools = body.tools?.map((t) => ({
    type: "function" as const,
    function: {
      name: t.name ?? "",
      ...(t.parameters ? { parameters: t.parameters as never } : {}),
      ...(t.description ? { description: t.description } : {}),
    },
  }));
  const input = promptTokensOf(
    { messages, ...(tools ? { tools } : {}) },
    options.tokenizer,
  );
  const output = Math.ceil((reasoning.length + content.length) / 4);
  const spec = {
    reasoning,
    content,
    usage: { input, output, reasoning: Math.ceil(reasoning.length / 4) },
  };
  return body.stream
    ? {
      sse: responsesStream(spec, dialect),
      writes: "event",
      delayMs: options.eventDelayMs ?? 0,
    }
    : { json: responsesBody(spec, dialect) };
}

/** The conversation of a Responses API input, as chat messages (for counting). */
function messagesOfInput(input: unknown): ChatMessage[] {
  if (typeof input === "string") return [{ role: "user", content: input }];
  const messages: ChatMessage[] = [];
  const text = (content: unknown) =>
    typeof content === "string"
      ? content
      : Array.isArray(content)
      ? content.map((p) => (p as { text?: string }).text ?? "").join("")
      : "";
  for (const raw of input as Record<string, unknown>[]) {
    if (raw.type === "function_call") {
      const last = messages.at(-1);
      const call = {
        id: String(raw.call_id),
        type: "function" as const,
        function: { name: String(raw.name), arguments: String(raw.arguments) },
      };
      if (last?.role === "assistant") {
        (last.tool_calls ??= []).push(call);
      } else {
        messages.push({ role: "assistant", content: null, tool_calls: [call] });
      }
    } else if (raw.type === "function_call_output") {
      messages.push({
        role: "tool",
        tool_call_id: String(raw.call_id),
        content: text(raw.output),
      });
    } else if (raw.type === "reasoning") {
      continue;
    } else {
      messages.push({
        role: raw.role as ChatMessage["role"],
        content: text(raw.content),
      });
    }
  }
  return messages;
}
