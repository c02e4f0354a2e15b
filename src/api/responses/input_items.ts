/**
 * The conversation as the Responses API's input items, stateless: every
 * message is sent again, in order. System and developer messages stay
 * messages of their role (vLLM makes each a harmony developer message, as
 * it does `instructions`); a user's parts become `input_text` and
 * `input_image`; an assistant's reasoning goes back as a `reasoning` item
 * before its answer and calls (what the prepared history kept: the
 * reasoning of an unfinished tool-calling exchange), its answer as an
 * `output_text` message, each call as a `function_call` item; a tool's
 * result as a `function_call_output`.
 *
 * A reasoning item carries the text in `content` (`reasoning_text`, read by
 * vLLM and LM Studio) and, for Ollama, also in `encrypted_content`, where
 * Ollama reads it back (it writes plain text there itself). It has no `id`:
 * the servers take it without one (vLLM 0.32.0, capture vllm-0.32/47), and
 * a made-up id could be looked up in a store.
 *
 * Sources: vLLM 0.32.0 `response_input_to_harmony`
 * (entrypoints/openai/responses/harmony.py); Ollama `FromResponsesRequest`
 * (openai/responses.go, 2026-08).
 *
 * @module
 */

import type { ChatMessage, ContentPart } from "../../types.ts";
import type { ServerKind } from "../../wire/servers.ts";

/** One input item, as sent. */
export type InputItem = Record<string, unknown>;

function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (content === null) return "";
  return content.map((part) => part.type === "text" ? part.text : "").join(
    "",
  );
}

function userParts(parts: ContentPart[]): Record<string, unknown>[] {
  return parts.map((part) =>
    part.type === "text" ? { type: "input_text", text: part.text } : {
      type: "input_image",
      image_url: part.image_url.url,
      detail: part.image_url.detail ?? "auto",
    }
  );
}

/**
 * @param messages The fitted, prepared messages.
 * @param server The server, when known (Ollama reads reasoning elsewhere).
 * @returns The input items.
 */
export function inputItems(
  messages: readonly ChatMessage[],
  server?: ServerKind,
): InputItem[] {
  const items: InputItem[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "assistant": {
        if (message.reasoning) {
          const item: InputItem = {
            type: "reasoning",
            summary: [],
            content: [{ type: "reasoning_text", text: message.reasoning }],
          };
          if (server === "ollama") item.encrypted_content = message.reasoning;
          items.push(item);
        }
        const text = textOf(message.content);
        if (text !== "") {
          items.push({
            type: "message",
            role: "assistant",
            content: [{ type: "output_text", text }],
          });
        }
        for (const call of message.tool_calls ?? []) {
          items.push({
            type: "function_call",
            call_id: call.id,
            name: call.function.name,
            arguments: call.function.arguments,
          });
        }
        break;
      }
      case "tool":
        items.push({
          type: "function_call_output",
          call_id: message.tool_call_id ?? "",
          output: textOf(message.content),
        });
        break;
      default:
        items.push({
          type: "message",
          role: message.role,
          content: message.role === "user" && Array.isArray(message.content)
            ? userParts(message.content)
            : textOf(message.content),
        });
    }
  }
  return items;
}
