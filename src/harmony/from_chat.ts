/**
 * A chat request as vLLM's chat path turns it into harmony messages for
 * gpt-oss, before openai-harmony renders them: its own system message (the
 * effort, the date), a developer message with the tools when the request
 * has tools, then each chat message, where the caller's system message stays
 * a system message (the chat template makes it developer instructions), an
 * assistant message becomes its analysis, commentary, tool calls and final
 * answer, and a tool result is a message from `functions.NAME`.
 *
 * Source: vLLM's serving code of mid-2026 (`_make_request_with_harmony` in
 * vllm/entrypoints/openai/chat_completion/serving.py, and
 * `parse_chat_inputs_to_harmony_messages`, `auto_drop_analysis_messages` in
 * vllm/entrypoints/openai/parser/harmony_utils.py), checked against the
 * prompt a vLLM of 2026-05-24 reported for a request (capture vllm/29).
 *
 * @module
 */

import type { ChatMessage, ContentPart } from "../types.ts";
import type { ReasoningEffort } from "../wire/reasoning_effort.ts";
import type { ToolDefinition } from "../wire/tools.ts";
import type { HarmonyMessage } from "./encoding.ts";

/** What the chat request adds besides its messages. */
export interface HarmonyRequest {
  tools?: readonly ToolDefinition[];
  reasoningEffort?: ReasoningEffort;
  modelIdentity?: string;
  /** `YYYY-MM-DD`. */
  currentDate: string;
}

/** The harmony conversation, the part each chat message became apart. */
export interface HarmonyConversation {
  /** The system message and, with tools, the developer message. */
  head: HarmonyMessage[];
  /** For each chat message, the harmony messages it became (some none). */
  messages: HarmonyMessage[][];
}

/** vLLM's `flatten_chat_text_content`: text parts joined with nothing between. */
function flatten(content: string | ContentPart[] | null | undefined): string {
  if (Array.isArray(content)) {
    return content.map((p) => p.type === "text" ? p.text : "").join("");
  }
  return content ?? "";
}

/** The text parts of a content, each rendered on its own. */
function texts(content: string | ContentPart[] | null | undefined): string[] {
  if (Array.isArray(content)) {
    return content.map((p) => p.type === "text" ? p.text : "");
  }
  return [content ?? ""];
}

function convert(
  message: ChatMessage,
  toolNames: Map<string, string>,
): HarmonyMessage[] {
  const out: HarmonyMessage[] = [];
  const calls = message.tool_calls ?? [];
  if (message.role === "assistant" && calls.length) {
    const content = flatten(message.content);
    if (content) {
      out.push({
        role: "assistant",
        channel: "commentary",
        content: { texts: [content] },
      });
    }
    if (message.reasoning) {
      out.push({
        role: "assistant",
        channel: "analysis",
        content: { texts: [message.reasoning] },
      });
    }
    for (const call of calls) {
      out.push({
        role: "assistant",
        channel: "commentary",
        recipient: `functions.${call.function.name}`,
        contentType: "json",
        content: { texts: [call.function.arguments ?? ""] },
      });
    }
    return out;
  }
  if (message.role === "tool") {
    const name = toolNames.get(message.tool_call_id ?? "") ?? "";
    return [{
      role: "tool",
      name: `functions.${name}`,
      channel: "commentary",
      recipient: "assistant",
      content: { texts: [flatten(message.content)] },
    }];
  }
  if (message.role === "assistant" && message.reasoning) {
    out.push({
      role: "assistant",
      channel: "analysis",
      content: { texts: [message.reasoning] },
    });
  }
  const parts = texts(message.content);
  if (message.role === "assistant") {
    if (parts[0]) {
      out.push({
        role: "assistant",
        channel: "final",
        content: { texts: parts },
      });
    }
  } else out.push({ role: message.role, content: { texts: parts } });
  return out;
}

/**
 * vLLM's `auto_drop_analysis_messages`: in the turn in progress (after the
 * last user message), the analysis messages before its last final answer.
 */
function dropInTurn(groups: HarmonyMessage[][]): void {
  const flat = groups.flatMap((g, i) => g.map((m) => ({ m, i })));
  let start = 0;
  for (let k = flat.length - 1; k >= 0; k--) {
    if (flat[k].m.role === "user") {
      start = k + 1;
      break;
    }
  }
  let lastFinal = -1;
  for (let k = flat.length - 1; k >= start; k--) {
    if (flat[k].m.role === "assistant" && flat[k].m.channel === "final") {
      lastFinal = k;
      break;
    }
  }
  if (lastFinal < start) return;
  const drop = new Set(
    flat.slice(start, lastFinal).filter(({ m }) => m.channel === "analysis")
      .map(({ m }) => m),
  );
  for (const group of groups) {
    for (let j = group.length - 1; j >= 0; j--) {
      if (drop.has(group[j])) group.splice(j, 1);
    }
  }
}

/**
 * @param messages The chat messages as they are sent.
 * @param request The request's tools, effort and date.
 * @returns The harmony conversation vLLM renders for them.
 */
export function harmonyFromChat(
  messages: readonly ChatMessage[],
  request: HarmonyRequest,
): HarmonyConversation {
  const head: HarmonyMessage[] = [{
    role: "system",
    content: {
      system: {
        currentDate: request.currentDate,
        ...(request.reasoningEffort
          ? { reasoningEffort: request.reasoningEffort }
          : {}),
        ...(request.modelIdentity
          ? { modelIdentity: request.modelIdentity }
          : {}),
      },
    },
  }];
  if (request.tools?.length) {
    head.push({
      role: "developer",
      content: { developer: { tools: request.tools } },
    });
  }
  const toolNames = new Map<string, string>();
  for (const message of messages) {
    for (const call of message.tool_calls ?? []) {
      toolNames.set(call.id, call.function.name);
    }
  }
  const groups = messages.map((m) => convert(m, toolNames));
  dropInTurn(groups);
  return { head, messages: groups };
}
