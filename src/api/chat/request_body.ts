/**
 * The body of `POST /v1/chat/completions`, written from a checked request in
 * the shape its server reads: sampling under OpenAI's names, the reasoning
 * effort and kept reasoning where that server looks (its traits), tools, a
 * response format, usage in streams, and the caller's extra fields last.
 *
 * @module
 */

import { mergeFields } from "../../checks.ts";
import type { ChatRequest, Sampling } from "../../wire/chat_request.ts";
import { withReasoningFields } from "../../wire/messages.ts";
import { traitsOf } from "../../wire/servers.ts";

/**
 * @returns The JSON body: model, messages, sampling, reasoning effort, tools,
 * response format, usage in streams, and the caller's extra fields last
 * (objects such as `chat_template_kwargs` are merged, not replaced).
 */
export function buildChatBody(request: ChatRequest): Record<string, unknown> {
  const traits = traitsOf(request.server);
  const body: Record<string, unknown> = {
    model: request.model,
    messages: withReasoningFields(request.messages, traits.reasoningFields),
    stream: request.stream,
    ...samplingFields(request.sampling),
  };
  // Servers report usage in a stream only when asked (a last chunk with `choices: []`).
  if (request.stream) body.stream_options = { include_usage: true };
  const effort = request.reasoningEffort;
  if (effort) {
    for (const field of traits.effortFields) {
      mergeFields(body, {
        [field]: field === "reasoning_effort"
          ? effort
          : { reasoning_effort: effort },
      });
    }
  }
  if (request.tools) body.tools = request.tools;
  if (request.toolChoice) body.tool_choice = request.toolChoice;
  if (request.responseFormat) body.response_format = request.responseFormat;
  if (request.extraBody) mergeFields(body, request.extraBody);
  return body;
}

/** Sampling under chat completions' names. */
function samplingFields(sampling: Sampling): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    temperature: sampling.temperature,
    max_tokens: sampling.maxTokens,
  };
  if (sampling.topP !== undefined) fields.top_p = sampling.topP;
  if (sampling.seed !== undefined) fields.seed = sampling.seed;
  if (sampling.stop !== undefined) fields.stop = sampling.stop;
  return fields;
}
