/**
 * OpenAI's Responses API (`POST /v1/responses`), as vLLM, Ollama (0.13.3+)
 * and LM Studio (0.3.29+) serve it for gpt-oss: the conversation sent again
 * as input items (stateless, `store: false`), the typed events of its
 * stream, and whole response objects, read into the same completions and
 * deltas as chat completions.
 *
 * @module
 */

import type { DecoderOptions } from "../../stream/decoder.ts";
import type { WireApi } from "../wire_api.ts";
import { ResponsesEventDecoder } from "./event_decoder.ts";
import { buildResponsesBody } from "./request_body.ts";
import { readResponsesAnswer } from "./whole_answer.ts";

/** The Responses API as a {@link WireApi}. */
export const responsesApi: WireApi = Object.freeze({
  name: "responses",
  path: "/v1/responses",
  streamAccept: "text/event-stream",
  body: buildResponsesBody,
  reader: {
    stream: (options: DecoderOptions) => new ResponsesEventDecoder(options),
    whole: readResponsesAnswer,
  },
});
