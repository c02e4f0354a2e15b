/**
 * OpenAI-style chat completions (`POST /v1/chat/completions`), the API every
 * GPT-OSS server speaks: the request body, the chunk shapes of its SSE
 * stream, its error events, and its whole answers.
 *
 * @module
 */

import type { DecoderOptions } from "../../stream/decoder.ts";
import type { WireApi } from "../wire_api.ts";
import { readWholeAnswer } from "./completion.ts";
import { ChatEventDecoder } from "./event_decoder.ts";
import { buildChatBody } from "./request_body.ts";

/** Chat completions as a {@link WireApi}. */
export const chatCompletionsApi: WireApi = Object.freeze({
  name: "chat",
  path: "/v1/chat/completions",
  streamAccept: "text/event-stream",
  body: buildChatBody,
  reader: {
    stream: (options: DecoderOptions) => new ChatEventDecoder(options),
    whole: readWholeAnswer,
  },
});
