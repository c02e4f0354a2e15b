/**
 * Checks and normalises a non-streamed chat completion: the reasoning moves
 * to `reasoning` whichever field the server used, and an answer of the wrong
 * shape becomes an {@link InvalidResponseError} naming what is missing.
 *
 * @module
 */

import { readUsage } from "./chunk.ts";
import {
  errorInBody,
  type ErrorOrigin,
  excerpt,
} from "../../http/error_body.ts";
import { InvalidResponseError } from "../../errors/mod.ts";
import { splitHarmonyMessage } from "../../harmony/deltas.ts";
import { readReasoning } from "./reasoning_field.ts";
import type {
  AssistantMessage,
  ChatChoice,
  ChatCompletion,
  ToolCall,
} from "../../types.ts";

/**
 * @param body The parsed JSON body.
 * @param raw The body text, for the error.
 * @returns The completion in OpenAI's shape, with `reasoning` on each message.
 * @throws {InvalidResponseError} When it has no `choices` array or a choice
 * has no `message` object.
 */
export function normaliseCompletion(
  body: unknown,
  raw: string,
  options: { splitHarmony?: boolean } = {},
): ChatCompletion {
  const record = body as Record<string, unknown> | null;
  if (
    record === null || typeof record !== "object" ||
    !Array.isArray(record.choices)
  ) {
    throw new InvalidResponseError(
      "The server's answer is JSON but not a chat completion: it has no choices array.",
      excerpt(raw),
    );
  }
  if (record.choices.length === 0) {
    throw new InvalidResponseError(
      "The server's answer has an empty choices array.",
      excerpt(raw),
    );
  }
  const choices = record.choices.map(
    (choice: unknown, i: number): ChatChoice => {
      const c = choice as Record<string, unknown> | null;
      const message = c?.message as Record<string, unknown> | null | undefined;
      if (message === null || typeof message !== "object") {
        throw new InvalidResponseError(
          `The server's answer has no message object in choices[${i}].`,
          excerpt(raw),
        );
      }
      const normal = normaliseMessage(message);
      if (options.splitHarmony !== false) splitHarmonyMessage(normal);
      return {
        index: typeof c!.index === "number" ? c!.index : i,
        message: normal,
        finish_reason: typeof c!.finish_reason === "string"
          ? c!.finish_reason
          : null,
      };
    },
  );
  const completion: ChatCompletion = {
    id: typeof record.id === "string" ? record.id : "",
    object: "chat.completion",
    created: typeof record.created === "number"
      ? record.created
      : Math.floor(Date.now() / 1000),
    model: typeof record.model === "string" ? record.model : "",
    choices,
  };
  const usage = readUsage(record.usage);
  if (usage) completion.usage = usage;
  if (record.timings !== null && typeof record.timings === "object") {
    completion.timings = record.timings as Record<string, number>;
  }
  return completion;
}

function normaliseMessage(message: Record<string, unknown>): AssistantMessage {
  const content = message.content;
  const calls = message.tool_calls;
  const normal: AssistantMessage = {
    role: "assistant",
    // llama.cpp answers a tool call with content "" whole and null streamed:
    // no answer text is null, as in a stream.
    content: typeof content === "string" &&
        !(content === "" && Array.isArray(calls) && calls.length > 0)
      ? content
      : null,
  };
  const reasoning = readReasoning(message);
  if (reasoning !== undefined) normal.reasoning = reasoning;
  if (Array.isArray(calls) && calls.length > 0) {
    normal.tool_calls = calls.map(toolCall);
  }
  return normal;
}

function toolCall(raw: unknown, i: number): ToolCall {
  const call = (raw ?? {}) as Record<string, unknown>;
  const fn = (call.function ?? {}) as Record<string, unknown>;
  const args = fn.arguments;
  return {
    id: typeof call.id === "string" ? call.id : `call_${i}`,
    type: "function",
    function: {
      name: typeof fn.name === "string" ? fn.name : "",
      arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
    },
  };
}

/**
 * A whole answer of chat completions: an error object (which some servers
 * send with a 200 status) becomes its typed error; anything else is
 * normalised.
 *
 * @param body The parsed body.
 * @param raw Its text.
 * @param origin Where it came from.
 * @returns The completion.
 * @throws {ApiError|ContextSizeError} For an error object.
 * @throws {InvalidResponseError} For a body that is not a chat completion.
 */
export function readWholeAnswer(
  body: unknown,
  raw: string,
  origin: ErrorOrigin,
  options: { splitHarmony?: boolean } = {},
): ChatCompletion {
  const error = errorInBody(body, raw, origin);
  if (error) throw error;
  return normaliseCompletion(body, raw, options);
}
