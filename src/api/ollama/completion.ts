/**
 * A whole answer of Ollama's native chat (`stream: false`): one object with
 * the whole message (Ollama joins the pieces itself), the finish and the
 * counts, read into a chat completion.
 *
 * @module
 */

import {
  errorInBody,
  type ErrorOrigin,
  excerpt,
} from "../../http/error_body.ts";
import { InvalidResponseError } from "../../errors/mod.ts";
import { splitHarmonyMessage } from "../../harmony/deltas.ts";
import type { AssistantMessage, ChatCompletion } from "../../types.ts";
import { deltaFromOllama, identityOf, OllamaAnswerState } from "./response.ts";

/**
 * @param body The parsed body.
 * @param raw Its text.
 * @param origin Where it came from.
 * @returns The completion.
 * @throws {ApiError|ContextSizeError} For an error object.
 * @throws {InvalidResponseError} For a body that is not a chat answer.
 */
export function readOllamaAnswer(
  body: unknown,
  raw: string,
  origin: ErrorOrigin,
  options: { splitHarmony?: boolean } = {},
): ChatCompletion {
  const error = errorInBody(body, raw, origin);
  if (error) throw error;
  const record = body as Record<string, unknown> | null;
  if (
    record === null || typeof record !== "object" ||
    record.message === null || typeof record.message !== "object"
  ) {
    throw new InvalidResponseError(
      "The server's answer is JSON but not an Ollama chat answer: it has no message object.",
      excerpt(raw),
    );
  }
  const delta = deltaFromOllama(record, new OllamaAnswerState());
  const message: AssistantMessage = {
    role: "assistant",
    content: delta.content ?? (delta.toolCalls ? null : ""),
  };
  if (delta.reasoning !== undefined) message.reasoning = delta.reasoning;
  if (delta.toolCalls) {
    message.tool_calls = delta.toolCalls.map((call, i) => ({
      id: call.id ?? `call_${i}`,
      type: "function" as const,
      function: {
        name: call.function?.name ?? "",
        arguments: call.function?.arguments ?? "{}",
      },
    }));
  }
  if (options.splitHarmony !== false) splitHarmonyMessage(message);
  const identity = identityOf(record);
  return {
    id: "",
    object: "chat.completion",
    created: (identity.created as number | undefined) ??
      Math.floor(Date.now() / 1000),
    model: (identity.model as string | undefined) ?? "",
    choices: [{
      index: 0,
      message,
      finish_reason: delta.finishReason ?? null,
    }],
    ...(delta.usage ? { usage: delta.usage } : {}),
  };
}
