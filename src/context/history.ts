/**
 * Prepares a conversation history for GPT-OSS. The model is trained to see
 * its reasoning (the analysis channel) only for the turn in progress: the
 * reasoning of earlier turns is dropped, while the reasoning of a tool-calling
 * exchange still in progress (the assistant messages after the latest user
 * message) is kept, because the model needs it to continue. Kept reasoning is
 * left in `reasoning`; the wire API writes it under the fields its server
 * reads.
 *
 * Source: OpenAI's gpt-oss guidance, "Handle raw chain of thought"
 * (cookbook.openai.com/articles/gpt-oss/handle-raw-cot), and the
 * chat_template.jinja of openai/gpt-oss-20b, which renders analysis only
 * after the last final message.
 *
 * @module
 */

import type { ChatMessage } from "../types.ts";

/** Where callers and servers put an assistant message's reasoning. */
const REASONING_FIELDS = [
  "reasoning",
  "reasoning_content",
  "thinking",
] as const;

/**
 * @param messages The caller's messages (not changed).
 * @param keepReasoning Keep the reasoning of every turn, not only the turn in progress.
 * @returns The messages to send: the same objects where nothing changes, and
 * copies whose reasoning is dropped, or kept in `reasoning` alone.
 */
export function prepareHistory(
  messages: readonly ChatMessage[],
  keepReasoning = false,
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
    if (keepReasoning || i > latestUser) copy.reasoning = reasoning;
    return copy as unknown as ChatMessage;
  });
}
