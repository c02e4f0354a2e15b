/**
 * A streamed chat completion as the caller sees it: iterate it for deltas as
 * they arrive, or ask it for the assembled completion, or turn it into bytes
 * for a browser. Only the client makes one (`GptOssClient.streamResponse`).
 *
 * @module
 */

import type { ChatCompletion, StreamDelta, Truncation } from "../types.ts";
import type { StreamBodyFormat, StreamBodyOptions } from "./stream_body.ts";

/**
 * A streamed chat completion, returned by `GptOssClient.streamResponse`. The
 * request starts when the stream is first read; leaving the `for await`
 * loop early cancels it. It can be iterated once; {@link ChatStream.completion}
 * works before, during or after the iteration.
 *
 * @example Printing reasoning and answer as they arrive
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * import { chatCompletionStream, startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = await startMockServer();
 * server.enqueue({ sse: chatCompletionStream({ reasoning: "Greet back.", content: "Hello there!" }), writes: "event" });
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
 * const stream = client.streamResponse([{ role: "user", content: "Hello" }]);
 * let reasoning = "";
 * let answer = "";
 * for await (const delta of stream) {
 *   reasoning += delta.reasoning ?? ""; // show it dimmed, or not at all
 *   answer += delta.content ?? ""; // write it as it comes
 * }
 * const completion = await stream.completion();
 * assert.equal(reasoning, "Greet back.");
 * assert.equal(answer, completion.choices[0].message.content);
 * assert.equal(completion.choices[0].finish_reason, "stop");
 * ```
 */
export interface ChatStream extends AsyncIterable<StreamDelta> {
  /**
   * What the client dropped to fit the context window, if anything. With
   * `maxContextSize: "auto"` it is known once the request has started.
   */
  readonly truncation: Truncation | undefined;

  /**
   * The deltas, in order. Leaving the loop early cancels the request.
   *
   * @returns An iterator over the stream's deltas.
   * @throws {GptOssError} Once: a second iteration is a mistake.
   */
  [Symbol.asyncIterator](): AsyncIterator<StreamDelta>;

  /**
   * The assembled completion, in the same shape `generateResponse` returns,
   * with the client's `stats` (time to first token, tokens per second).
   * Reads the stream itself when nobody iterates it. If the caller stopped
   * reading early, it resolves to what arrived, marked `incomplete`.
   *
   * @returns The completion.
   * @throws {GptOssError} The error that ended the stream, with what arrived in `partial`.
   *
   * @example Waiting for the whole answer of a stream
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { chatCompletionStream, startMockServer } from "@gptoss/client/testing";
   * import assert from "node:assert/strict";
   * await using server = await startMockServer();
   * server.enqueue({ sse: chatCompletionStream({ content: "42" }) });
   * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
   * const completion = await client.streamResponse([{ role: "user", content: "6 × 7?" }]).completion();
   * assert.equal(completion.choices[0].message.content, "42");
   * assert.ok(completion.stats!.timeToFirstTokenMs! >= 0);
   * ```
   */
  completion(): Promise<ChatCompletion>;

  /**
   * The stream as bytes to send on, to a browser for example: one JSON
   * object per line (`"ndjson"`, the default) or server-sent events
   * (`"sse"`), with reasoning and content apart, a last message that says how
   * it ended, and an error sent as a message rather than a broken connection.
   * Cancelling the bytes cancels the request.
   *
   * @param format `"ndjson"` or `"sse"`.
   * @param options What an error says: its own message unless
   * `errorMessage` gives another.
   * @returns A web `ReadableStream` for a `Response` body.
   *
   * @example Relaying a stream from an edge function
   * ```ts
   * import { GptOssClient } from "@gptoss/client";
   * import { chatCompletionStream, startMockServer } from "@gptoss/client/testing";
   * import assert from "node:assert/strict";
   * await using server = await startMockServer();
   * server.enqueue({ sse: chatCompletionStream({ content: "Hi!" }) });
   * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
   * const stream = client.streamResponse([{ role: "user", content: "Hi" }]);
   * const response = new Response(stream.toReadableStream("ndjson"), {
   *   headers: { "content-type": "application/x-ndjson" },
   * });
   * const lines = (await response.text()).trim().split("\n").map((l) => JSON.parse(l));
   * assert.deepEqual(lines[0], { content: "Hi!" });
   * assert.equal(lines.at(-1).done, true);
   * ```
   */
  toReadableStream(
    format?: StreamBodyFormat,
    options?: StreamBodyOptions,
  ): ReadableStream<Uint8Array>;
}
