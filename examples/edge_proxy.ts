/**
 * An edge function in the shape of Deno Deploy and Supabase: the browser
 * sends a chat to `POST /chat`; the function calls the GPT-OSS server through
 * the client (the API key never leaves the server side) and streams the
 * answer back as newline-delimited JSON, reasoning and content apart. `GET /`
 * serves a page that renders both as they arrive.
 *
 *   GPT_OSS_BASE_URL=http://localhost:8000 deno run --allow-net --allow-env examples/edge_proxy.ts
 *
 * @module
 */

import {
  type ChatMessage,
  ContextSizeError,
  GptOssClient,
  type GptOssConfig,
} from "@gptoss/client";
import { EDGE_PAGE } from "./edge_page.ts";

/** At most this many messages per request, each at most this long. */
const MAX_MESSAGES = 50;
const MAX_CONTENT = 20_000;

function badRequest(message: string): Response {
  return Response.json({ error: message }, { status: 400 });
}

/**
 * What the browser is told when the answer fails. The client's own messages
 * name the upstream URL and how to fix the setup: they go to the log.
 */
function publicMessage(error: unknown): string {
  if (error instanceof ContextSizeError) {
    return "This conversation is too long for the model: start a new one.";
  }
  return "The model could not answer just now. Try again in a moment.";
}

/** Only plain user and assistant turns are taken from a browser. */
function readMessages(body: unknown): ChatMessage[] | string {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (
    !Array.isArray(messages) || messages.length === 0 ||
    messages.length > MAX_MESSAGES
  ) {
    return `send { messages: [...] } with 1 to ${MAX_MESSAGES} messages`;
  }
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const role = (m as { role?: unknown })?.role;
    const content = (m as { content?: unknown })?.content;
    if (
      (role !== "user" && role !== "assistant") ||
      typeof content !== "string" || content.length > MAX_CONTENT
    ) {
      return `each message needs role "user" or "assistant" and a string content of at most ${MAX_CONTENT} characters`;
    }
    out.push({ role, content });
  }
  return out;
}

/**
 * @param config The client's configuration: the server, the key, the model.
 * @returns A `fetch`-style handler for `Deno.serve` or an edge runtime.
 */
export function createEdgeHandler(
  config: GptOssConfig = {},
): (request: Request) => Promise<Response> {
  const client = new GptOssClient(config);
  const log = config.logger ?? console;
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (request.method === "GET" && pathname === "/") {
      return new Response(EDGE_PAGE, {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    }
    if (request.method !== "POST" || pathname !== "/chat") {
      return new Response("not found", { status: 404 });
    }
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return badRequest("the body is not JSON");
    }
    const messages = readMessages(body);
    if (typeof messages === "string") return badRequest(messages);
    // No need for request.signal: when the browser goes away, the runtime
    // cancels the response body, and that cancels the request to the model.
    const stream = client.streamResponse([
      { role: "system", content: "You answer visitors of this site." },
      ...messages,
    ]);
    const answer = stream.toReadableStream("ndjson", {
      errorMessage(error) {
        log.error(`chat failed: ${(error as Error)?.message ?? error}`);
        return publicMessage(error);
      },
    });
    return new Response(answer, {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "cache-control": "no-store",
      },
    });
  };
}

if (import.meta.main) {
  const handler = createEdgeHandler({
    ...(Deno.env.get("GPT_OSS_BASE_URL")
      ? { baseUrl: Deno.env.get("GPT_OSS_BASE_URL") }
      : {}),
    ...(Deno.env.get("GPT_OSS_API_KEY")
      ? { apiKey: Deno.env.get("GPT_OSS_API_KEY") }
      : {}),
    ...(Deno.env.get("GPT_OSS_MODEL")
      ? { model: Deno.env.get("GPT_OSS_MODEL") }
      : {}),
  });
  // This machine only, by default: the function holds the API key. Set
  // BIND_ADDRESS=0.0.0.0 to let other machines in (behind your own auth).
  Deno.serve({
    hostname: Deno.env.get("BIND_ADDRESS") ?? "127.0.0.1",
    port: Number(Deno.env.get("PORT") ?? 8787),
  }, handler);
}
