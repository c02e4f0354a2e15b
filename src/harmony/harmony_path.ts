/**
 * A conversation on the harmony path, vLLM's for gpt-oss: converted as vLLM
 * converts it (from_chat.ts) and rendered as openai-harmony renders it
 * (encoding.ts), as pieces cut where chat messages begin, so that each chat
 * message can be priced on its own.
 *
 * @module
 */

import type { ChatMessage } from "../types.ts";
import {
  COMPLETION_PIECES,
  type HarmonyMessage,
  hasFunctionTools,
  type HeaderStyle,
  messagePieces,
  type Piece,
} from "./encoding.ts";
import { harmonyFromChat } from "./from_chat.ts";
import type { HarmonyPromptOptions, Renderer } from "./prompt.ts";
import { formatDate } from "./prompt.ts";

/** The rendered pieces: the head, each chat message's, and the generation prompt. */
export interface HarmonyPathPieces {
  head: Piece[];
  messages: Piece[][];
  footer: readonly Piece[];
}

/**
 * @param messages The chat messages as they are sent.
 * @param options Tools, effort, date, identity, and which vLLM's rendering
 * (`"vllm-0.22"`, `"vllm-0.30"`, the latest otherwise).
 * @returns The pieces openai-harmony renders for them, for completion.
 */
export function harmonyPathPieces(
  messages: readonly ChatMessage[],
  options: HarmonyPromptOptions = {},
): HarmonyPathPieces {
  const conversation = harmonyFromChat(messages, {
    currentDate: formatDate(options.currentDate),
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.reasoningEffort
      ? { reasoningEffort: options.reasoningEffort }
      : {}),
    ...(options.modelIdentity ? { modelIdentity: options.modelIdentity } : {}),
    layout: options.renderer === "vllm-0.22"
      ? "separate-system"
      : "folded-instructions",
  });
  const tools = hasFunctionTools(conversation.head);
  const style: HeaderStyle = options.renderer === "vllm" ||
      options.renderer === undefined
    ? "vllm-oss-harmony"
    : "openai-harmony";
  const render = (group: HarmonyMessage[]) =>
    group.flatMap((message) => messagePieces(message, tools, style));
  return {
    head: render(conversation.head),
    messages: conversation.messages.map(render),
    footer: COMPLETION_PIECES,
  };
}

/** vLLM's renderings, newest first: the one assumed while a vLLM's version is unknown comes first. */
export const VLLM_RENDERERS: readonly Exclude<Renderer, "template">[] = [
  "vllm",
  "vllm-0.30",
  "vllm-0.22",
];

/**
 * @param messages The chat messages as they are sent.
 * @param options Tools, effort, date.
 * @returns Whether every vLLM release renders them the same, piece for
 * piece: then a count is vLLM's own whichever release it is.
 */
export function sameOnEveryVllm(
  messages: readonly ChatMessage[],
  options: HarmonyPromptOptions = {},
): boolean {
  const [first, ...rest] = VLLM_RENDERERS.map((renderer) => {
    const { head, messages: parts, footer } = harmonyPathPieces(messages, {
      ...options,
      renderer,
    });
    return JSON.stringify([head, parts, footer]);
  });
  return rest.every((other) => other === first);
}
