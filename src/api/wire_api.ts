/**
 * The boundary between the client and a wire API: what an adapter must do
 * so that the client, the context code and the CLI work the same over chat
 * completions, Ollama's native chat or the Responses API. An adapter writes a
 * {@link ChatRequest} as its body and reads its answers (whole or streamed)
 * into the same `ChatCompletion` and `StreamDelta`.
 *
 * @module
 */

import type { AnswerReader } from "../stream/decoder.ts";
import type { ChatRequest } from "../wire/chat_request.ts";

/** One wire API. */
export interface WireApi {
  /** Its name, as the `api` option gives it. */
  readonly name: string;
  /** The path its requests are sent to, after the base URL. */
  readonly path: string;
  /** The `Accept` header of a streamed request. */
  readonly streamAccept: string;
  /**
   * Whether the request tells the server its context window (Ollama's
   * `num_ctx`): then the client's window is the server's, whatever it had.
   */
  readonly setsWindow?: boolean;
  /** @returns The request's JSON body. */
  body(request: ChatRequest): Record<string, unknown>;
  /** How its answers are read. */
  readonly reader: AnswerReader;
}
