/**
 * Chat messages in the shape of Ollama's native API (api/types.go
 * `Message`): the text as `content`, kept reasoning as `thinking`, images
 * as base64 in `images`, tool calls with their arguments as an object, and
 * a tool result with the name of its tool in `tool_name`.
 *
 * @module
 */

import { InvalidMessageError } from "../../errors/mod.ts";
import type { ChatMessage } from "../../types.ts";
import { contentText } from "../../wire/messages.ts";

/** A message as Ollama's native chat takes it. */
export interface OllamaMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  thinking?: string;
  images?: string[];
  tool_calls?: {
    id?: string;
    function: { name: string; arguments: Record<string, unknown> };
  }[];
  tool_name?: string;
  tool_call_id?: string;
}

const DATA_URL = /^data:[^;,]*;base64,(.*)$/s;

function imagesOf(message: ChatMessage, index: number): string[] {
  if (!Array.isArray(message.content)) return [];
  const images: string[] = [];
  for (const part of message.content) {
    if (part.type !== "image_url") continue;
    const data = DATA_URL.exec(part.image_url.url)?.[1];
    if (data === undefined) {
      throw new InvalidMessageError(
        index,
        'Ollama\'s native API takes images as data, not links: use a "data:image/…;base64," URL, or api: "chat".',
      );
    }
    images.push(data);
  }
  return images;
}

function argumentsOf(text: string, index: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidMessageError(
      index,
      `a tool call's arguments must be a JSON object for Ollama's native API, not ${
        JSON.stringify(text.slice(0, 40))
      }.`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * @param messages The messages to send (checked).
 * @returns Them in Ollama's shape.
 * @throws {InvalidMessageError} For an image link or tool-call arguments
 * that are not a JSON object, which Ollama's native API cannot take.
 */
export function ollamaMessages(
  messages: readonly ChatMessage[],
): OllamaMessage[] {
  const names = new Map<string, string>();
  for (const message of messages) {
    for (const call of message.tool_calls ?? []) {
      names.set(call.id, call.function.name);
    }
  }
  return messages.map((message, index): OllamaMessage => {
    const role = message.role === "developer" ? "system" : message.role;
    const out: OllamaMessage = { role, content: contentText(message.content) };
    const images = imagesOf(message, index);
    if (images.length) out.images = images;
    if (message.role === "assistant") {
      if (message.reasoning) out.thinking = message.reasoning;
      if (message.tool_calls?.length) {
        out.tool_calls = message.tool_calls.map((call) => ({
          id: call.id,
          function: {
            name: call.function.name,
            arguments: argumentsOf(call.function.arguments, index),
          },
        }));
      }
    }
    if (message.role === "tool" && message.tool_call_id) {
      out.tool_call_id = message.tool_call_id;
      const name = names.get(message.tool_call_id);
      if (name) out.tool_name = name;
    }
    return out;
  });
}
