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
  droppedAnalysis,
  type HarmonyMessage,
  hasFunctionTools,
  messagePieces,
  type Piece,
} from "./encoding.ts";
import { harmonyFromChat } from "./from_chat.ts";
import type { HarmonyPromptOptions } from "./prompt.ts";
import { formatDate } from "./prompt.ts";

/** The rendered pieces: the head, each chat message's, and the generation prompt. */
export interface HarmonyPathPieces {
  head: Piece[];
  messages: Piece[][];
  footer: readonly Piece[];
}

/**
 * @param messages The chat messages as they are sent.
 * @param options Tools, effort, date and identity.
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
  });
  const all: HarmonyMessage[] = [
    ...conversation.head,
    ...conversation.messages.flat(),
  ];
  const dropped = droppedAnalysis(all);
  const tools = hasFunctionTools(all);
  let at = 0;
  const render = (group: HarmonyMessage[]) =>
    group.flatMap((message) =>
      dropped.has(at++) ? [] : messagePieces(message, tools)
    );
  return {
    head: render(conversation.head),
    messages: conversation.messages.map(render),
    footer: COMPLETION_PIECES,
  };
}
