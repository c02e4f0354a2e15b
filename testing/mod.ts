/**
 * A mock GPT-OSS server for tests and demos: a real HTTP server on 127.0.0.1
 * that speaks the OpenAI-compatible wire format of vLLM, Ollama, llama-server
 * and LM Studio, with scripted replies (faults included) and a record of the
 * requests it got. Runs on Deno (it uses `Deno.serve`).
 *
 * @example Testing code that uses the client
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { chatCompletionStream, startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = await startMockServer();
 * server.enqueue({ sse: chatCompletionStream({ reasoning: "2+2=4", content: "4" }), writes: "event" });
 * const client = new GptOssClient({ baseUrl: server.url });
 * const completion = await client.streamResponse([{ role: "user", content: "2+2?" }]).completion();
 * assert.deepEqual(completion.choices[0].message, { role: "assistant", content: "4", reasoning: "2+2=4" });
 * ```
 *
 * @module
 */

export { startMockServer } from "./mock_server.ts";
export type { MockServer, MockServerOptions } from "./mock_server.ts";
export type { MockReply, WritePlan } from "./mock_reply.ts";
export type { RecordedRequest } from "./recorded_request.ts";
export type { CountingServer } from "./counting_replies.ts";
export type { ConnectionFault } from "./fault_front.ts";
export {
  chatCompletionBody,
  chatCompletionStream,
  sseEvent,
  tokenPieces,
} from "./replies.ts";
export type { AnswerSpec, ReasoningField } from "./replies.ts";
export { ollamaChatBody, ollamaChatStream } from "./ollama_replies.ts";
export { responsesBody, responsesStream } from "./responses_replies.ts";
export type {
  ResponsesAnswerSpec,
  ResponsesDialect,
} from "./responses_replies.ts";
export type { OllamaAnswerSpec } from "./ollama_replies.ts";
export type { MockOllamaOptions } from "./mock_ollama.ts";
