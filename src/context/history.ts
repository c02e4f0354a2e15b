/**
 * Prepares a conversation history for GPT-OSS. The model is trained to see
 * its reasoning (the analysis channel) only for the turn in progress: the
 * reasoning of earlier turns is dropped, while the reasoning of a tool-calling
 * exchange still in progress (the assistant messages after the latest user
 * message) is kept, because the model needs it to continue.
 *
 * Source: OpenAI's gpt-oss guidance, "Handle raw chain of thought"
 * (cookbook.openai.com/articles/gpt-oss/handle-raw-cot), and the
 * chat_template.jinja of openai/gpt-oss-20b, which renders analysis only
 * after the last final message.
 *
 * @module
 */

import type { ServerKind } from "../wire/servers.ts";
import type { ChatMessage } from "../types.ts";

const REASONING_FIELDS = [
  "reasoning",
  "reasoning_content",
  "thinking",
] as const;

/** How to treat the reasoning in a history. */
export interface HistoryOptions {
  /** Keep the reasoning of every turn. Default `false`. */
  keepReasoning?: boolean;
  /** The server, when known: llama.cpp reads `reasoning_content`. */
  server?: ServerKind;
}

/**
 * @param messages The caller's messages (not changed).
 * @param options Whether to keep all reasoning, and the server.
 * @returns The messages to send: the same objects where nothing changes,
 * copies without reasoning for earlier turns, and kept reasoning under the
 * field names servers read.
 */
export function prepareHistory(
  messages: readonly ChatMessage[],
  options: HistoryOptions = {},
): ChatMessage[] {
  let latestUser = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === "user") {
      latestUser = i;
      break;
    }
  }
  return messages.map((message, i) => {
    if (message.role !== "assistant") return message;
    const record = message as unknown as Record<string, unknown>;
    const reasoning = REASONING_FIELDS.map((f) => record[f]).find(
      (v): v is string => typeof v === "string" && v !== "",
    );
    if (reasoning === undefined) return message;
    const copy = { ...record };
    for (const field of REASONING_FIELDS) delete copy[field];
    if (options.keepReasoning || i > latestUser) {
      copy.reasoning = reasoning;
      // llama.cpp (and vLLM before late 2025) read reasoning_content.
      if (
        options.server !== "vllm" && options.server !== "ollama" &&
        options.server !== "lmstudio"
      ) {
        copy.reasoning_content = reasoning;
      }
    }
    return copy as unknown as ChatMessage;
  });
}
