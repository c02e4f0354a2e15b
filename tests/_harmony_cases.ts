/**
 * The rendering fixtures under tests/fixtures/harmony, turned into this
 * library's message shapes (the template takes `thinking` and argument
 * objects; the wire has `reasoning` and argument text).
 *
 * @module
 */

import type {
  ChatMessage,
  HarmonyPromptOptions,
  ToolDefinition,
} from "../mod.ts";

/** A conversation the real template rendered, with its rendering. */
export interface RenderingCase {
  name: string;
  source?: string;
  renderer?: string;
  date: string;
  kwargs?: {
    reasoning_effort?: "low" | "medium" | "high";
    model_identity?: string;
  };
  messages: Record<string, unknown>[];
  tools?: ToolDefinition[];
  add_generation_prompt?: boolean;
  expected: string;
}

const HERE = new URL("./fixtures/harmony/", import.meta.url);

/** @returns The cases of a fixture file in this folder. */
export async function loadRenderings(file: string): Promise<RenderingCase[]> {
  return JSON.parse(await Deno.readTextFile(new URL(file, HERE))).cases;
}

/** @returns The real chat template's text. */
export function loadTemplate(): Promise<string> {
  return Deno.readTextFile(new URL("gpt-oss-chat_template.jinja", HERE));
}

/** The template's message shape as this library's. */
export function toChatMessage(m: Record<string, unknown>): ChatMessage {
  const { thinking, tool_calls, ...rest } = m;
  const message = { ...rest } as unknown as ChatMessage;
  if (typeof thinking === "string") message.reasoning = thinking;
  if (Array.isArray(tool_calls)) {
    message.tool_calls = tool_calls.map((call) => ({
      ...call,
      function: {
        name: call.function.name,
        arguments: typeof call.function.arguments === "string"
          ? call.function.arguments
          : JSON.stringify(call.function.arguments),
      },
    }));
    if (message.content === undefined) message.content = null;
  }
  return message;
}

/** The case's template arguments as this library's options. */
export function toOptions(c: RenderingCase): HarmonyPromptOptions {
  return {
    currentDate: c.date,
    ...(c.tools ? { tools: c.tools } : {}),
    ...(c.kwargs?.reasoning_effort
      ? { reasoningEffort: c.kwargs.reasoning_effort }
      : {}),
    ...(c.kwargs?.model_identity
      ? { modelIdentity: c.kwargs.model_identity }
      : {}),
  };
}
