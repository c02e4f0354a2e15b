/**
 * What each message of a conversation costs in prompt tokens, found when
 * asked and only for the messages asked about, so that fitting a long
 * history to the window reads its newest messages and stops; and
 * remembered per message object, so that a conversation sent again with a
 * turn more costs only the new turn.
 *
 * The memo is a `WeakMap` keyed by the message object (and by the
 * tokenizer): a message the caller no longer holds is forgotten with it. A
 * message changed in place (its role, text, reasoning or tool calls) is
 * seen as changed, since what was counted is kept beside the count and
 * compared first, and is counted again. The tokenizer is taken to count a
 * text the same way every time. The parts every request sends again (the
 * system and developer messages) are remembered by their text
 * (fixed_counts.ts).
 *
 * @module
 */

import type { ChatMessage } from "../types.ts";
import {
  DEFAULT_SYSTEM_MESSAGE_TOKENS,
  harmonyFixedParts,
  type HarmonyPromptOptions,
  isHarmonyRenderer,
} from "../harmony/prompt.ts";
import type { Piece } from "../harmony/encoding.ts";
import { HarmonyPathReader } from "../harmony/harmony_path.ts";
import {
  countMessagePieces,
  renderMessage,
  TemplateContexts,
} from "../harmony/walk.ts";
import { countPieces, countRenderedTokens } from "./rendered_tokens.ts";
import { countFixedPieces, countFixedText } from "./fixed_counts.ts";
import type { Tokenizer } from "./tokenizer.ts";

/** A conversation's prompt tokens, message by message, each counted when first asked. */
export interface MessageCosts {
  /** What every prompt has: the system and developer messages, the generation prompt. */
  readonly fixed: number;
  /**
   * Message `i`'s own tokens (0 for a first system message, which is in
   * `fixed`).
   *
   * @param i The message's place.
   * @param message The message as it is sent, when it is not the one at `i`
   * but a copy that differs only in what it says (its reasoning dropped):
   * the rest of the conversation is read as it is.
   */
  at(i: number, message?: ChatMessage): number;
}

/**
 * @param messages The conversation.
 * @param tokenizer What counts the text.
 * @param template What the template adds, and which rendering the server uses.
 * @returns The costs, each message counted when first asked.
 */
export function messageCosts(
  messages: readonly ChatMessage[],
  tokenizer: Tokenizer,
  template: HarmonyPromptOptions = {},
): MessageCosts {
  return isHarmonyRenderer(template.renderer)
    ? harmonyPathCosts(messages, tokenizer, template)
    : templateCosts(messages, tokenizer, template);
}

/** The chat template's path (llama.cpp, LM Studio, Ollama). */
function templateCosts(
  messages: readonly ChatMessage[],
  tokenizer: Tokenizer,
  template: HarmonyPromptOptions,
): MessageCosts {
  const parts = harmonyFixedParts(messages, template);
  // The template's default system message has a known count; estimating
  // its fixed text would only add error.
  const system = parts.defaultSystem && !tokenizer.exact
    ? DEFAULT_SYSTEM_MESSAGE_TOKENS[
      template.tools?.length ? "withTools" : "plain"
    ]
    : countFixedText(parts.system, tokenizer);
  const fixed = system +
    (parts.developer ? countFixedText(parts.developer, tokenizer) : 0) +
    1 + countFixedText("assistant", tokenizer); // <|start|>assistant, the footer
  const contexts = new TemplateContexts(messages);
  const memo = memoOf(tokenizer);
  const count = (text: string) => tokenizer.count(text);
  const words = new Map<string, number>();
  const word = (text: string) => {
    let n = words.get(text);
    if (n === undefined) words.set(text, n = tokenizer.count(text));
    return n;
  };
  return {
    fixed,
    at(i, message = messages[i]) {
      const context = contexts.at(i);
      if (context.first) return 0;
      // Only what the message's role reads of its context is in the key.
      const key = message.role === "tool"
        ? `t${context.lastCall}`
        : context.finalAfter
        ? "f"
        : "";
      return remembered(memo, message, key, () => {
        // Counted from the texts between its special tokens, without
        // building its rendering; one whose text holds special-token
        // markup is rendered and split.
        const n = countMessagePieces(message, context, count, word);
        if (n !== undefined) return n;
        const part = renderMessage(message, context);
        return part ? countRenderedTokens(part, tokenizer) : 0;
      });
    },
  };
}

/** vLLM's harmony path: openai-harmony's pieces. */
function harmonyPathCosts(
  messages: readonly ChatMessage[],
  tokenizer: Tokenizer,
  template: HarmonyPromptOptions,
): MessageCosts {
  const reader = new HarmonyPathReader(messages, template);
  // The system message is the template's, text for text: its known count
  // serves here too when estimating.
  const [system, rest] = splitFirstMessage(reader.head);
  const systemTokens = template.modelIdentity === undefined && !tokenizer.exact
    ? DEFAULT_SYSTEM_MESSAGE_TOKENS[
      template.tools?.length ? "withTools" : "plain"
    ]
    : countFixedPieces(system, tokenizer);
  const fixed = systemTokens + countFixedPieces(rest, tokenizer) +
    countFixedPieces(reader.footer, tokenizer);
  const memo = memoOf(tokenizer);
  // Tools change how a message's header is written; the renderer, the
  // header style.
  const prefix = `${template.renderer ?? "vllm"}|${
    template.tools?.length ? 1 : 0
  }|`;
  return {
    fixed,
    at(i, message = messages[i]) {
      return remembered(
        memo,
        message,
        prefix + reader.contextKey(i, message),
        () => countPieces(reader.pieces(i, message), tokenizer),
      );
    },
  };
}

/** The pieces of the first message, and the rest. */
function splitFirstMessage(pieces: readonly Piece[]): [Piece[], Piece[]] {
  const end = pieces.findIndex((p) =>
    "special" in p && (p.special === "<|end|>" || p.special === "<|call|>")
  );
  return [pieces.slice(0, end + 1), pieces.slice(end + 1)];
}

/** What was counted of a message, to tell whether it changed since. */
interface Counted {
  role: unknown;
  content: unknown;
  /** For content in parts: each part's type and text, as counted. */
  parts: string | undefined;
  reasoning: unknown;
  toolCallId: unknown;
  /** Each tool call's name and arguments, as counted. */
  calls: string | undefined;
  /** The message's tokens in each context it was counted in. */
  costs: Map<string, number>;
}

type Memo = WeakMap<ChatMessage, Counted>;

const memos = new WeakMap<Tokenizer, Memo>();

function memoOf(tokenizer: Tokenizer): Memo {
  let memo = memos.get(tokenizer);
  if (!memo) memos.set(tokenizer, memo = new WeakMap());
  return memo;
}

/** The message's cost in this context: remembered, or counted and remembered. */
function remembered(
  memo: Memo,
  message: ChatMessage,
  key: string,
  count: () => number,
): number {
  let counted = memo.get(message);
  if (counted && !unchanged(message, counted)) counted = undefined;
  const known = counted?.costs.get(key);
  if (known !== undefined) return known;
  const n = count();
  if (!counted) memo.set(message, counted = snapshot(message));
  counted.costs.set(key, n);
  return n;
}

function snapshot(message: ChatMessage): Counted {
  return {
    role: message.role,
    content: message.content,
    parts: partsOf(message.content),
    reasoning: message.reasoning,
    toolCallId: message.tool_call_id,
    calls: callsOf(message.tool_calls),
    costs: new Map(),
  };
}

function unchanged(message: ChatMessage, counted: Counted): boolean {
  return message.role === counted.role &&
    message.content === counted.content &&
    message.reasoning === counted.reasoning &&
    message.tool_call_id === counted.toolCallId &&
    (typeof message.content === "string" ||
      partsOf(message.content) === counted.parts) &&
    callsOf(message.tool_calls) === counted.calls;
}

function partsOf(content: ChatMessage["content"]): string | undefined {
  if (!Array.isArray(content)) return undefined;
  let out = "";
  for (const part of content) {
    out += `${part.type}\u0000${part.type === "text" ? part.text : ""}\u0001`;
  }
  return out;
}

function callsOf(calls: ChatMessage["tool_calls"]): string | undefined {
  if (!calls?.length) return undefined;
  let out = "";
  for (const call of calls) {
    out +=
      `${call.id}\u0000${call.function.name}\u0000${call.function.arguments}\u0001`;
  }
  return out;
}
