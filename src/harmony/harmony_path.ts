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
import { HarmonyConversationReader } from "./from_chat.ts";
import type { HarmonyPromptOptions, Renderer } from "./prompt.ts";
import { formatDate } from "./prompt.ts";

/** The rendered pieces: the head, each chat message's, and the generation prompt. */
export interface HarmonyPathPieces {
  head: Piece[];
  messages: Piece[][];
  footer: readonly Piece[];
}

/**
 * A conversation on the harmony path, read message by message in any order:
 * the head and generation prompt at once, each chat message's pieces when
 * asked, so that pricing the newest messages costs only them.
 */
export class HarmonyPathReader {
  /** vLLM's system message and the developer message, rendered. */
  readonly head: Piece[];
  /** The generation prompt. */
  readonly footer: readonly Piece[] = COMPLETION_PIECES;
  readonly #reader: HarmonyConversationReader;
  readonly #tools: boolean;
  readonly #style: HeaderStyle;

  /**
   * @param messages The chat messages as they are sent.
   * @param options Tools, effort, date, identity, and which vLLM's rendering
   * (`"vllm-0.22"`, `"vllm-0.30"`, the latest otherwise).
   */
  constructor(
    messages: readonly ChatMessage[],
    options: HarmonyPromptOptions = {},
  ) {
    this.#reader = new HarmonyConversationReader(messages, {
      currentDate: formatDate(options.currentDate),
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.reasoningEffort
        ? { reasoningEffort: options.reasoningEffort }
        : {}),
      ...(options.modelIdentity
        ? { modelIdentity: options.modelIdentity }
        : {}),
      layout: options.renderer === "vllm-0.22"
        ? "separate-system"
        : "folded-instructions",
    });
    this.#tools = hasFunctionTools(this.#reader.head);
    this.#style = options.renderer === "vllm" || options.renderer === undefined
      ? "vllm-oss-harmony"
      : "openai-harmony";
    this.head = this.#render(this.#reader.head);
  }

  /**
   * @param i The chat message's place.
   * @param message The message as it is sent, when it differs from the one
   * read at `i` in what it says (not in its role or tool calls).
   * @returns The pieces chat message `i` renders as.
   */
  pieces(i: number, message?: ChatMessage): Piece[] {
    return this.#render(this.#reader.group(i, message));
  }

  /**
   * What, besides message `i` itself, decides its pieces (equal keys, equal
   * pieces for the same message); the renderer is the caller's to add.
   */
  contextKey(i: number, message?: ChatMessage): string {
    return this.#reader.contextKey(i, message);
  }

  #render(group: HarmonyMessage[]): Piece[] {
    return group.flatMap((message) =>
      messagePieces(message, this.#tools, this.#style)
    );
  }
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
  const reader = new HarmonyPathReader(messages, options);
  return {
    head: reader.head,
    messages: messages.map((_, i) => reader.pieces(i)),
    footer: reader.footer,
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
