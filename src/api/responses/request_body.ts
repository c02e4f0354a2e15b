/**
 * The body of `POST /v1/responses`, stateless by default: the conversation
 * as input items with `store: false` (so the client's fitting and counting
 * apply as on chat completions), sampling under the Responses API's names
 * (`max_output_tokens`), the effort as `reasoning.effort`, tools and the
 * tool choice in its flat shape, the response format as `text.format`, and
 * the caller's extra fields last. `seed` and `stop` are vLLM's extensions
 * (other servers ignore them) and are sent only when set.
 *
 * With `previousResponseId`, the server holds the history: only the
 * messages after the last assistant message are sent, with `store: true`,
 * so that the new response can be continued in turn.
 *
 * Sources: OpenAI's Responses API reference; vLLM 0.32.0 `ResponsesRequest`
 * (entrypoints/openai/responses/protocol.py); Ollama `ResponsesRequest`
 * (openai/responses.go).
 *
 * @module
 */

import { mergeFields } from "../../checks.ts";
import { ConfigError } from "../../errors/mod.ts";
import type { ChatRequest } from "../../wire/chat_request.ts";
import type { ResponseFormat } from "../../wire/response_format.ts";
import type { ToolChoice, ToolDefinition } from "../../wire/tools.ts";
import type { ChatMessage } from "../../types.ts";
import { inputItems } from "./input_items.ts";

function tool({ function: fn }: ToolDefinition): Record<string, unknown> {
  return {
    type: "function",
    name: fn.name,
    ...(fn.description !== undefined ? { description: fn.description } : {}),
    parameters: fn.parameters ?? { type: "object", properties: {} },
    ...(fn.strict !== undefined ? { strict: fn.strict } : {}),
  };
}

function toolChoice(choice: ToolChoice): unknown {
  return typeof choice === "string"
    ? choice
    : { type: "function", name: choice.function.name };
}

function textFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type !== "json_schema") return { type: format.type };
  const { name, schema, strict, description } = format.json_schema;
  return {
    type: "json_schema",
    name,
    schema,
    ...(strict !== undefined ? { strict } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

/** The messages a continued response sends: those after the last assistant message. */
function newMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  let last = messages.length - 1;
  while (last >= 0 && messages[last].role !== "assistant") last--;
  return messages.slice(last + 1);
}

/**
 * @returns The JSON body, the caller's extra fields merged last.
 * @throws {ConfigError} For `previousResponseId` on a server that ignores
 * it, or a response format on llama.cpp, which drops it there.
 */
export function buildResponsesBody(
  request: ChatRequest,
): Record<string, unknown> {
  const { sampling, previousResponseId } = request;
  if (
    previousResponseId !== undefined &&
    (request.server === "ollama" || request.server === "llamacpp")
  ) {
    throw new ConfigError(
      "options.previousResponseId",
      previousResponseId,
      "no previousResponseId on this server",
      `options.previousResponseId does not work on ${request.server}, which ${
        request.server === "ollama"
          ? "ignores previous_response_id without an error"
          : "keeps no responses (it translates /v1/responses onto chat completions)"
      }: leave it out, and the client sends the whole history.`,
    );
  }
  const messages = previousResponseId === undefined
    ? request.messages
    : newMessages(request.messages);
  const body: Record<string, unknown> = {
    model: request.model,
    input: inputItems(messages, request.server),
    stream: request.stream,
    store: previousResponseId !== undefined,
    temperature: sampling.temperature,
    max_output_tokens: sampling.maxTokens,
  };
  if (previousResponseId !== undefined) {
    body.previous_response_id = previousResponseId;
  }
  if (sampling.topP !== undefined) body.top_p = sampling.topP;
  if (sampling.seed !== undefined) body.seed = sampling.seed;
  if (sampling.stop !== undefined) body.stop = sampling.stop;
  if (request.reasoningEffort) {
    body.reasoning = { effort: request.reasoningEffort };
  }
  if (request.tools) body.tools = request.tools.map(tool);
  if (request.toolChoice) body.tool_choice = toolChoice(request.toolChoice);
  const format = request.responseFormat;
  if (format && format.type !== "text" && request.server === "llamacpp") {
    throw new ConfigError(
      "options.responseFormat",
      format,
      'api: "chat" for a response format on llama.cpp',
      `llama.cpp translates /v1/responses onto chat completions and drops text.format, so the answer would not be held to ${format.type}: use api: "chat" on llama.cpp for structured output.`,
    );
  }
  if (format && format.type !== "text") {
    body.text = { format: textFormat(format) };
  }
  if (request.extraBody) mergeFields(body, request.extraBody);
  return body;
}
