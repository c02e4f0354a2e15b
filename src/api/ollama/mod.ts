/**
 * Ollama's native chat API (`POST /api/chat`): the request body, the NDJSON
 * stream of answer objects with its error lines, and whole answers. Unlike
 * Ollama's OpenAI route, it takes the context window (`num_ctx`), and can
 * refuse a prompt too long for it instead of cutting it.
 *
 * @module
 */

import type { DecoderOptions } from "../../stream/decoder.ts";
import type { WireApi } from "../wire_api.ts";
import { readOllamaAnswer } from "./completion.ts";
import { OllamaLineDecoder } from "./line_decoder.ts";
import { buildOllamaBody } from "./request_body.ts";

/** Ollama's native chat as a {@link WireApi}. */
export const ollamaChatApi: WireApi = Object.freeze({
  name: "ollama",
  path: "/api/chat",
  streamAccept: "application/x-ndjson",
  setsWindow: true,
  body: buildOllamaBody,
  reader: {
    stream: (options: DecoderOptions) => new OllamaLineDecoder(options),
    whole: readOllamaAnswer,
    // A stream is NDJSON; one JSON object is a whole answer or an error.
    readsWhole: (contentType: string) =>
      !contentType.includes("ndjson") &&
      (contentType.includes("json") || contentType.startsWith("text/html")),
  },
});
