/**
 * openai-harmony's rendering of a conversation, the one vLLM's chat path
 * uses for gpt-oss (where the chat template is not used): harmony messages
 * rendered as pieces, each a special token or a text that openai-harmony
 * encodes on its own. Counting the pieces one by one gives openai-harmony's
 * token count; joining them gives its prompt text.
 *
 * Source: openai/harmony v0.0.8, src/encoding.rs (`Render<Message>`,
 * `Render<SystemContent>`, `Render<DeveloperContent>`,
 * `template_tools_section`, `render_conversation_for_completion` with the
 * Python wrapper's default `auto_drop_analysis: true`) and src/chat.rs (the
 * defaults of `SystemContent`).
 *
 * @module
 */

import type { ReasoningEffort } from "../wire/reasoning_effort.ts";
import type { ToolDefinition } from "../wire/tools.ts";
import { schemaToTypescript } from "./schema_typescript.ts";

/** A special token, or a text that is encoded on its own. */
export type Piece = { special: string } | { text: string };

/** openai-harmony's system content, with its defaults where unset. */
export interface SystemContent {
  modelIdentity?: string;
  reasoningEffort?: ReasoningEffort;
  /** `YYYY-MM-DD`. */
  currentDate: string;
}

/** One harmony message. */
export interface HarmonyMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  /** A tool's name (`functions.get_weather`), which stands for its role. */
  name?: string;
  recipient?: string;
  channel?: string;
  contentType?: string;
  /** Text parts, rendered one after the other; or a system or developer content. */
  content:
    | { texts: string[] }
    | { system: SystemContent }
    | { developer: { tools: readonly ToolDefinition[] } };
}

const DEFAULT_IDENTITY =
  "You are ChatGPT, a large language model trained by OpenAI.";

const START = { special: "<|start|>" };
const MESSAGE = { special: "<|message|>" };
const CHANNEL = { special: "<|channel|>" };

/** Rust's `str::lines()`: no line for "", none after a final line break, CR LF too. */
function rustLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n").map((l) =>
    l.endsWith("\r") ? l.slice(0, -1) : l
  );
  if (text.endsWith("\n")) lines.pop();
  return lines;
}

function toolsSection(tools: readonly ToolDefinition[]): string {
  const lines = ["## functions\n", "namespace functions {\n"];
  for (const { function: fn } of tools) {
    for (const line of rustLines(fn.description ?? "")) {
      lines.push(`// ${line}`);
    }
    const parameters = fn.parameters;
    lines.push(
      parameters && typeof parameters === "object"
        ? `type ${fn.name} = (_: ${
          schemaToTypescript(parameters as Record<string, unknown>, "")
        }) => any;\n`
        : `type ${fn.name} = () => any;\n`,
    );
  }
  lines.push("} // namespace functions");
  return ["# Tools", lines.join("\n")].join("\n\n");
}

function systemText(system: SystemContent, hasFunctionTools: boolean): string {
  const top = [
    system.modelIdentity ?? DEFAULT_IDENTITY,
    "Knowledge cutoff: 2024-06",
    `Current date: ${system.currentDate}`,
  ].join("\n");
  let channels =
    "# Valid channels: analysis, commentary, final. Channel must be included for every message.";
  if (hasFunctionTools) {
    channels +=
      "\nCalls to these tools must go to the commentary channel: 'functions'.";
  }
  return [top, `Reasoning: ${system.reasoningEffort ?? "medium"}`, channels]
    .join("\n\n");
}

/** One message as its pieces. */
export function messagePieces(
  message: HarmonyMessage,
  hasFunctionTools: boolean,
): Piece[] {
  const pieces: Piece[] = [START];
  if (message.role === "tool") pieces.push({ text: message.name ?? "" });
  else {
    pieces.push({ text: message.role });
    if (message.name) pieces.push({ text: `:${message.name}` });
  }
  if (message.recipient && message.recipient !== "all") {
    pieces.push({ text: ` to=${message.recipient}` });
  }
  if (message.channel) pieces.push(CHANNEL, { text: message.channel });
  const type = message.contentType;
  if (type !== undefined) {
    if (type.startsWith("<|constrain|>")) {
      pieces.push({ text: " " }, { special: "<|constrain|>" });
      const rest = type.slice("<|constrain|>".length);
      if (rest) pieces.push({ text: rest });
    } else pieces.push({ text: ` ${type}` });
  }
  pieces.push(MESSAGE);
  const { content } = message;
  if ("texts" in content) {
    for (const text of content.texts) pieces.push({ text });
  } else if ("system" in content) {
    pieces.push({ text: systemText(content.system, hasFunctionTools) });
  } else if (content.developer.tools.length) {
    pieces.push({ text: toolsSection(content.developer.tools) });
  }
  pieces.push({
    special: message.role === "assistant" && message.recipient
      ? "<|call|>"
      : "<|end|>",
  });
  return pieces;
}

/**
 * Which messages `render_conversation_for_completion` leaves out: when the
 * last assistant message is a final answer, the analysis messages before the
 * first final answer.
 */
export function droppedAnalysis(
  messages: readonly HarmonyMessage[],
): Set<number> {
  const dropped = new Set<number>();
  const lastAssistant = messages.findLast((m) => m.role === "assistant");
  if (lastAssistant?.channel !== "final") return dropped;
  const firstFinal = messages.findIndex((m) => m.channel === "final");
  messages.forEach((m, i) => {
    if (i < firstFinal && m.channel === "analysis") dropped.add(i);
  });
  return dropped;
}

/** Whether a conversation declares function tools (in a developer message). */
export function hasFunctionTools(messages: readonly HarmonyMessage[]): boolean {
  return messages.some((m) =>
    "developer" in m.content && m.content.developer.tools.length > 0
  );
}

/** The generation prompt that ends every rendering for completion. */
export const COMPLETION_PIECES: readonly Piece[] = Object.freeze([
  START,
  { text: "assistant" },
]);

/** @returns The pieces' text, special tokens written out. */
export function piecesText(pieces: readonly Piece[]): string {
  let out = "";
  for (const piece of pieces) {
    out += "special" in piece ? piece.special : piece.text;
  }
  return out;
}
