/**
 * Checks the caller's messages before anything is sent, so that a mistake is
 * a clear {@link InvalidMessageError} instead of a server's 400 or 422.
 *
 * @module
 */

import { InvalidMessageError } from "../errors/mod.ts";
import type { ChatMessage } from "../types.ts";

const ROLES: ReadonlySet<string> = new Set([
  "system",
  "developer",
  "user",
  "assistant",
  "tool",
]);

/**
 * @param messages Whatever the caller passed as messages.
 * @param allowEmpty Accept an empty list (counting and rendering do).
 * @throws {InvalidMessageError} For an empty or non-array list, a message
 * without a known role, or content that is neither a string nor an array of
 * parts (only an assistant message that calls tools may have none).
 */
export function assertValidMessages(
  messages: unknown,
  allowEmpty = false,
): asserts messages is ChatMessage[] {
  assertMessageList(messages, allowEmpty);
  for (let i = 0; i < messages.length; i++) assertValidMessage(messages[i], i);
}

/**
 * The list itself, not its messages: for a reader that checks each message
 * it reads with {@link assertValidMessage}, and no other.
 *
 * @param messages Whatever the caller passed as messages.
 * @param allowEmpty Accept an empty list.
 * @throws {InvalidMessageError} For an empty or non-array list.
 */
export function assertMessageList(
  messages: unknown,
  allowEmpty = false,
): asserts messages is unknown[] {
  if (!Array.isArray(messages)) {
    throw new InvalidMessageError(
      -1,
      `messages must be an array of { role, content } objects, got ${
        typeName(messages)
      }.`,
    );
  }
  if (messages.length === 0 && !allowEmpty) {
    throw new InvalidMessageError(
      -1,
      'messages is empty; pass at least one, e.g. [{ role: "user", content: "Hello" }].',
    );
  }
}

/**
 * @param message One of the caller's messages.
 * @param i Its index, for the error.
 * @throws {InvalidMessageError} For a message without a known role, or
 * content that is neither a string nor an array of parts.
 */
export function assertValidMessage(message: unknown, i: number): void {
  if (
    message === null || typeof message !== "object" || Array.isArray(message)
  ) {
    throw new InvalidMessageError(
      i,
      `expected an object like { role: "user", content: "…" }, got ${
        typeName(message)
      }.`,
    );
  }
  const { role, content, tool_calls } = message as Record<string, unknown>;
  if (role === undefined) {
    throw new InvalidMessageError(
      i,
      'the message has no role; set role to "system", "user", "assistant" or "tool".',
    );
  }
  if (typeof role !== "string" || !ROLES.has(role)) {
    throw new InvalidMessageError(
      i,
      `unknown role ${
        JSON.stringify(role)
      }; use "system", "developer", "user", "assistant" or "tool".`,
    );
  }
  if (typeof content === "string") return;
  if (Array.isArray(content)) {
    content.forEach((part, p) => checkPart(part, i, p));
    return;
  }
  const callsTools = Array.isArray(tool_calls) && tool_calls.length > 0;
  if (
    (content === null || content === undefined) && role === "assistant" &&
    callsTools
  ) {
    return;
  }
  throw new InvalidMessageError(
    i,
    `content must be a string or an array of parts like { type: "text", text: "…" }, got ${
      typeName(content)
    }.`,
  );
}

function checkPart(part: unknown, i: number, p: number): void {
  const type = part !== null && typeof part === "object"
    ? (part as Record<string, unknown>).type
    : undefined;
  if (typeof type !== "string") {
    throw new InvalidMessageError(
      i,
      `content[${p}] must be an object with a type, like { type: "text", text: "…" }, got ${
        typeName(part)
      }.`,
    );
  }
  if (
    type === "text" &&
    typeof (part as Record<string, unknown>).text !== "string"
  ) {
    throw new InvalidMessageError(
      i,
      `content[${p}] is a text part without a text string.`,
    );
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/**
 * @param content A message's content.
 * @returns Its text: the string, or the text parts joined by newlines.
 */
export function contentText(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  let text = "";
  for (const part of content) {
    if (part.type === "text") text += text ? `\n${part.text}` : part.text;
  }
  return text;
}

/**
 * Puts each assistant message's `reasoning` under every field a server reads
 * it from (`reasoning_content` too, for llama.cpp); the same objects where
 * nothing changes.
 *
 * @param messages Messages whose kept reasoning is in `reasoning`.
 * @param fields The fields the server reads (a server trait).
 * @returns The messages to send.
 */
export function withReasoningFields(
  messages: readonly ChatMessage[],
  fields: readonly ("reasoning" | "reasoning_content")[],
): ChatMessage[] {
  if (!fields.includes("reasoning_content")) return [...messages];
  return messages.map((message) =>
    message.role === "assistant" && message.reasoning
      ? { ...message, reasoning_content: message.reasoning } as ChatMessage
      : message
  );
}
