/**
 * Builds the body of a chat completion request from the checked settings,
 * in the shape the server understands.
 *
 * @module
 */

import { reasoningEffortFields } from "../../wire/reasoning_effort.ts";
import type { ResolvedRequest } from "../../options/request_options.ts";
import type { ServerKind } from "../../wire/servers.ts";
import type { ChatMessage } from "../../types.ts";

/** What a request body is made of. */
export interface ChatBodyParts {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  request: ResolvedRequest;
  server: ServerKind | undefined;
}

/**
 * @returns The JSON body: model, messages, sampling, reasoning effort, tools,
 * response format, usage in streams, and the caller's extra fields last
 * (objects such as `chat_template_kwargs` are merged, not replaced).
 */
export function buildChatBody(parts: ChatBodyParts): Record<string, unknown> {
  const { request } = parts;
  const body: Record<string, unknown> = {
    model: parts.model,
    messages: parts.messages,
    stream: parts.stream,
    ...request.sampling,
  };
  // Servers report usage in a stream only when asked (a last chunk with `choices: []`).
  if (parts.stream) body.stream_options = { include_usage: true };
  if (request.reasoningEffort) {
    mergeInto(
      body,
      reasoningEffortFields(request.reasoningEffort, parts.server),
    );
  }
  if (request.tools) body.tools = request.tools;
  if (request.toolChoice) body.tool_choice = request.toolChoice;
  if (request.responseFormat) body.response_format = request.responseFormat;
  if (request.extraBody) mergeInto(body, request.extraBody);
  return body;
}

function mergeInto(
  body: Record<string, unknown>,
  fields: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(fields)) {
    const current = body[key];
    body[key] = isPlainObject(current) && isPlainObject(value)
      ? { ...current, ...value }
      : value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
