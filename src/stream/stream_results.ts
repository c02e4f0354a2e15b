/**
 * What a streamed completion hands out and settles with besides the
 * decoder's deltas: a whole answer as deltas (a server that ignored
 * `stream: true`), the result of a stream left before anything arrived, and
 * a failure with what did arrive attached.
 *
 * @module
 */

import { GptOssError } from "../errors/mod.ts";
import type { ChatCompletion, StreamDelta } from "../types.ts";

/** What a stream that the caller left before anything arrived resolves to. */
export function emptyCompletion(): ChatCompletion {
  return {
    id: "",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: "",
    choices: [{
      index: 0,
      message: { role: "assistant", content: "" },
      finish_reason: null,
    }],
    incomplete: true,
  };
}

/** The whole of a completion as deltas, one per choice. */
export function deltasOf(completion: ChatCompletion): StreamDelta[] {
  const deltas = completion.choices.map(deltaOf);
  if (completion.usage) deltas[deltas.length - 1].usage = completion.usage;
  return deltas;
}

function deltaOf(choice: ChatCompletion["choices"][number]): StreamDelta {
  const { message } = choice;
  const delta: StreamDelta = choice.index ? { choice: choice.index } : {};
  if (message.reasoning) delta.reasoning = message.reasoning;
  if (message.content) delta.content = message.content;
  if (message.tool_calls) {
    delta.toolCalls = message.tool_calls.map((call, index) => ({
      index,
      ...call,
    }));
  }
  if (choice.finish_reason) delta.finishReason = choice.finish_reason;
  return delta;
}

/** Whether a delta carries generated text or a tool call (for the time to first token). */
export function carriesTokens(delta: StreamDelta): boolean {
  return delta.content !== undefined || delta.reasoning !== undefined ||
    delta.toolCalls !== undefined;
}

/** Attaches what arrived to a typed error; wraps anything else first. */
export function withPartial(
  error: unknown,
  partial: ChatCompletion | undefined,
): GptOssError {
  const typed = error instanceof GptOssError
    ? error
    : new GptOssError(`Reading the stream failed: ${String(error)}`, {
      cause: error,
    });
  if (partial && !typed.partial) typed.partial = partial;
  return typed;
}
