/**
 * The body of Ollama's native `POST /api/chat`: the messages in its shape,
 * sampling under `options` (`num_predict` for the most tokens), the
 * client's context window as `options.num_ctx` (so the window the client
 * fits the conversation to is the one Ollama loads the model with),
 * `truncate: false` (Ollama then refuses a prompt that does not fit rather
 * than cutting it without a word), `think` from the reasoning effort,
 * tools, and `format` from the response format.
 *
 * Source: Ollama v0.33 api/types.go (`ChatRequest`, `Options`) and
 * server/prompt.go (`chatPrompt`, which drops the oldest messages when
 * `truncate` is not false).
 *
 * @module
 */

import { mergeFields } from "../../checks.ts";
import { ConfigError } from "../../errors/mod.ts";
import type { ChatRequest } from "../../wire/chat_request.ts";
import { ollamaMessages } from "./messages.ts";

function format(request: ChatRequest): unknown {
  const responseFormat = request.responseFormat;
  if (responseFormat?.type === "json_object") return "json";
  if (responseFormat?.type === "json_schema") {
    return responseFormat.json_schema.schema;
  }
  return undefined;
}

/**
 * @returns The JSON body, the caller's extra fields merged last.
 * @throws {ConfigError} For a `toolChoice` that Ollama cannot honour.
 * @throws {InvalidMessageError} For a message Ollama's native API cannot take.
 */
export function buildOllamaBody(
  request: ChatRequest,
): Record<string, unknown> {
  const { sampling, toolChoice } = request;
  if (toolChoice === "required" || typeof toolChoice === "object") {
    throw new ConfigError(
      "toolChoice",
      toolChoice,
      '"auto" or "none"',
      `toolChoice ${
        JSON.stringify(toolChoice)
      } cannot be sent on Ollama's native API, which has no tool_choice: use "auto" or "none", or api: "chat".`,
    );
  }
  const options: Record<string, unknown> = {
    temperature: sampling.temperature,
    num_predict: sampling.maxTokens,
  };
  if (request.contextWindow !== undefined) {
    options.num_ctx = request.contextWindow;
  }
  if (sampling.topP !== undefined) options.top_p = sampling.topP;
  if (sampling.seed !== undefined) options.seed = sampling.seed;
  if (sampling.stop !== undefined) {
    options.stop = typeof sampling.stop === "string"
      ? [sampling.stop]
      : sampling.stop;
  }
  const body: Record<string, unknown> = {
    model: request.model,
    messages: ollamaMessages(request.messages),
    stream: request.stream,
    options,
    truncate: false,
  };
  if (request.reasoningEffort) body.think = request.reasoningEffort;
  if (request.tools?.length && toolChoice !== "none") {
    body.tools = request.tools;
  }
  const answerFormat = format(request);
  if (answerFormat !== undefined) body.format = answerFormat;
  if (request.extraBody) mergeFields(body, request.extraBody);
  return body;
}
