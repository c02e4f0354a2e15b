/**
 * A whole answer of the Responses API (`stream: false`): one response
 * object, read into a chat completion; the object itself is kept as
 * `completion.response`.
 *
 * @module
 */

import {
  errorInBody,
  type ErrorOrigin,
  excerpt,
} from "../../http/error_body.ts";
import { isPlainObject } from "../../checks.ts";
import { InvalidResponseError } from "../../errors/mod.ts";
import { splitHarmonyMessage } from "../../harmony/deltas.ts";
import type { ChatCompletion } from "../../types.ts";
import {
  failureOf,
  finishReasonOf,
  messageOf,
  usageOf,
} from "./response_object.ts";

/**
 * @param body The parsed body.
 * @param raw Its text.
 * @param origin Where it came from.
 * @returns The completion.
 * @throws {ApiError|ContextSizeError} For an error object or a failed response.
 * @throws {InvalidResponseError} For a body that is not a response object.
 */
export function readResponsesAnswer(
  body: unknown,
  raw: string,
  origin: ErrorOrigin,
  options: { splitHarmony?: boolean } = {},
): ChatCompletion {
  const record = isPlainObject(body) ? body : undefined;
  if (record?.status === "failed") {
    throw failureOf(record, origin, excerpt(raw));
  }
  if (record === undefined || !Array.isArray(record.output)) {
    const error = errorInBody(body, raw, origin);
    if (error) throw error;
    throw new InvalidResponseError(
      'The server\'s answer is JSON but not a Responses API response: it has no output array. Does the server serve /v1/responses? Use api: "chat" otherwise.',
      excerpt(raw),
    );
  }
  const message = messageOf(record.output);
  if (options.splitHarmony !== false) splitHarmonyMessage(message);
  const completion: ChatCompletion = {
    id: typeof record.id === "string" ? record.id : "",
    object: "chat.completion",
    created: typeof record.created_at === "number"
      ? record.created_at
      : Math.floor(Date.now() / 1000),
    model: typeof record.model === "string" ? record.model : "",
    choices: [{
      index: 0,
      message,
      finish_reason: finishReasonOf(record, message.tool_calls !== undefined),
    }],
    response: record,
  };
  const usage = usageOf(record.usage, message.reasoning !== undefined);
  if (usage) completion.usage = usage;
  return completion;
}
