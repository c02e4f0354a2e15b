/**
 * openai-harmony's rendering of a conversation, the one vLLM's chat path
 * uses for gpt-oss (where the chat template is not used): harmony messages
 * rendered as pieces, each a special token or a text that openai-harmony
 * encodes on its own. Counting the pieces one by one gives openai-harmony's
 * token count; joining them gives its prompt text.
 *
 * Source: openai/harmony v0.0.8, src/encoding.rs (`Render<Message>`,
 * `Render<SystemContent>`, `Render<DeveloperContent>`,
 * `template_tools_section`, `render_conversation_for_completion`: its drop
 * of analysis messages is a part of vLLM's, done in from_chat.ts) and
 * src/chat.rs (the defaults of `SystemContent`). Message text is encoded as
 * ordinary text: special-token text in it is not a special token.
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
    | { developer: DeveloperContent };
}

/** openai-harmony's developer content: instructions, function tools, or both. */
export interface DeveloperContent {
  instructions?: string;
  tools: readonly ToolDefinition[];
}

const DEFAULT_IDENTITY =
  "You are ChatGPT, a large language model trained by OpenAI.";

const START = { special: "<|start|>" };
const MESSAGE = { special: "<|message|>" };
const CHANNEL = { special: "<|channel|>" };
const CONSTRAIN = { special: "<|constrain|>" };

/**
 * Rust's `str::lines()`: no line for "", none after a final line break; a
 * CR is cut only where it ends a line before an LF.
 */
function rustLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  const last = lines.pop()!;
  const out = lines.map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
  if (last !== "") out.push(last);
  return out;
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

/**
 * How a message's header is written:
 *
 * - `"openai-harmony"` (openai-harmony 0.0.8): role, ` to=RECIPIENT`,
 *   channel, ` TYPE`, each encoded apart;
 * - `"vllm-oss-harmony"` (vLLM from 0.31, on oss-harmony 0.0.11): a
 *   recipient on the commentary channel comes after the channel, a content
 *   type is ` <|constrain|>TYPE`; but vLLM writes an assistant's tool call
 *   back in the older form, each half one text: `assistant to=RECIPIENT`,
 *   channel, `CHANNEL TYPE` (`_use_legacy_tool_call_headers`).
 */
export type HeaderStyle = "openai-harmony" | "vllm-oss-harmony";

function contentTypePieces(type: string, pieces: Piece[]): void {
  if (type.startsWith(CONSTRAIN.special)) {
    pieces.push({ text: " " }, CONSTRAIN);
    const rest = type.slice(CONSTRAIN.special.length);
    if (rest) pieces.push({ text: rest });
  } else pieces.push({ text: ` ${type}` });
}

/** The header after `<|start|>`, up to `<|message|>`. */
function headerPieces(
  message: HarmonyMessage,
  style: HeaderStyle,
  pieces: Piece[],
): void {
  const author = message.role === "tool"
    ? message.name ?? ""
    : message.role + (message.name ? `:${message.name}` : "");
  const recipient = message.recipient && message.recipient !== "all"
    ? message.recipient
    : undefined;
  const { channel, contentType } = message;
  if (style === "vllm-oss-harmony") {
    const type = contentType?.startsWith(CONSTRAIN.special)
      ? contentType.slice(CONSTRAIN.special.length)
      : contentType;
    if (
      message.role === "assistant" && recipient && channel === "commentary" &&
      type
    ) {
      pieces.push(
        { text: `assistant to=${recipient}` },
        CHANNEL,
        { text: `${channel} ${type}` },
      );
      return;
    }
    pieces.push({ text: message.role === "tool" ? author : message.role });
    if (message.role !== "tool" && message.name) {
      pieces.push({ text: `:${message.name}` });
    }
    const after = channel === "commentary";
    if (recipient && !after) pieces.push({ text: ` to=${recipient}` });
    if (channel !== undefined) pieces.push(CHANNEL, { text: channel });
    if (recipient && after) pieces.push({ text: ` to=${recipient}` });
    if (type !== undefined) {
      pieces.push({ text: " " }, CONSTRAIN);
      if (type) pieces.push({ text: type });
    }
    return;
  }
  if (message.role === "tool") pieces.push({ text: author });
  else {
    pieces.push({ text: message.role });
    if (message.name) pieces.push({ text: `:${message.name}` });
  }
  if (recipient) pieces.push({ text: ` to=${recipient}` });
  if (channel !== undefined) pieces.push(CHANNEL, { text: channel });
  if (contentType !== undefined) contentTypePieces(contentType, pieces);
}

/** One message as its pieces. */
export function messagePieces(
  message: HarmonyMessage,
  hasFunctionTools: boolean,
  style: HeaderStyle = "openai-harmony",
): Piece[] {
  const pieces: Piece[] = [START];
  headerPieces(message, style, pieces);
  pieces.push(MESSAGE);
  const { content } = message;
  if ("texts" in content) {
    for (const text of content.texts) pieces.push({ text });
  } else if ("system" in content) {
    pieces.push({ text: systemText(content.system, hasFunctionTools) });
  } else {
    const { instructions, tools } = content.developer;
    const sections = instructions === undefined
      ? []
      : ["# Instructions", instructions];
    if (tools.length) sections.push(toolsSection(tools));
    if (sections.length) pieces.push({ text: sections.join("\n\n") });
  }
  pieces.push({
    special: message.role === "assistant" && message.recipient
      ? "<|call|>"
      : "<|end|>",
  });
  return pieces;
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
