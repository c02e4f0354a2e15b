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
  const latestUser = latestUserIndex(messages);
  return messages.map((message, i) =>
    prepareMessage(message, keepReasoning || i > latestUser)
  );
}

/** @returns Where the latest user message is, or -1: the turn in progress follows it. */
export function latestUserIndex(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === "user") return i;
  }
  return -1;
}

/** The copies made of a message, so that the next turn sends the same objects (and their counts are remembered). */
interface Copies {
  reasoning: string;
  kept?: ChatMessage;
  dropped?: ChatMessage;
}

const copies = new WeakMap<ChatMessage, Copies>();

/**
 * @param message One of the caller's messages (not changed).
 * @param keepReasoning Keep its reasoning (in `reasoning`), or drop it.
 * @returns The message to send: the same object when nothing changes, or a
 * copy, the same copy each time for a message that has not changed.
 */
export function prepareMessage(
  message: ChatMessage,
  keepReasoning: boolean,
): ChatMessage {
  if (message.role !== "assistant") return message;
  const record = message as unknown as Record<string, unknown>;
  const reasoning = reasoningOf(record);
  if (reasoning === undefined) return message;
  let known = copies.get(message);
  const which = keepReasoning ? "kept" : "dropped";
  const copy = known?.[which];
  if (
    known && copy && known.reasoning === reasoning && sameFields(record, copy)
  ) {
    return copy;
  }
  const { reasoning: _r, reasoning_content: _c, thinking: _t, ...rest } =
    record;
  const made =
    (keepReasoning ? { ...rest, reasoning } : rest) as unknown as ChatMessage;
  if (!known || known.reasoning !== reasoning) {
    copies.set(message, known = { reasoning });
  }
  known[which] = made;
  return made;
}

function reasoningOf(record: Record<string, unknown>): string | undefined {
  for (const field of REASONING_FIELDS) {
    const value = record[field];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/** Whether a copy still holds the message's other fields (it may have been changed in place). */
function sameFields(
  record: Record<string, unknown>,
  copy: ChatMessage,
): boolean {
  const made = copy as unknown as Record<string, unknown>;
  for (const key in record) {
    if (
      key !== "reasoning" && key !== "reasoning_content" &&
      key !== "thinking" &&
      made[key] !== record[key]
    ) return false;
  }
  for (const key in made) {
    if (key !== "reasoning" && !(key in record)) return false;
  }
  return true;
}
