/**
 * Shortens one message to a token allowance by cutting the middle of its
 * text, keeping the head and the tail, and saying in the text how much was
 * left out, so that neither the model nor a reader mistakes it for the whole.
 *
 * @module
 */

import type { ChatMessage, ShortenedMessage } from "../types.ts";
import { countRenderedTokens } from "./rendered_tokens.ts";
import { harmonyMessagePart } from "../harmony/prompt.ts";
import type { Tokenizer } from "./tokenizer.ts";

/** The text put where the middle was, so that the cut is visible. */
export function omissionMarker(characters: number): string {
  return `\n\n[... ${characters} characters omitted to fit the context window ...]\n\n`;
}

/** At least this much of the text is kept, or the message is not worth sending. */
const MINIMUM_KEPT = 32;

/**
 * @param messages The conversation.
 * @param index The message to shorten.
 * @param allowed The tokens it may take, template framing included.
 * @param tokenizer What counts tokens.
 * @returns The shortened message and its report, or `undefined` when even
 * a stub of it would not fit.
 */
export function shortenMessage(
  messages: readonly ChatMessage[],
  index: number,
  allowed: number,
  tokenizer: Tokenizer,
): { message: ChatMessage; report: ShortenedMessage } | undefined {
  const original = messages[index];
  const text = textOf(original);
  if (text === undefined) return undefined;
  const tokensOf = (candidate: ChatMessage) => {
    const copy = [...messages];
    copy[index] = candidate;
    return countRenderedTokens(harmonyMessagePart(copy, index), tokenizer);
  };
  const tokensBefore = tokensOf(original);
  const framing = tokensOf(withText(original, ""));
  const textTokens = Math.max(1, tokensBefore - framing);
  // Aim by the text's own characters per token, then tighten until it fits.
  let keepRatio = (allowed - framing - 24) / textTokens;
  for (let attempt = 0; attempt < 12 && keepRatio > 0; attempt++) {
    const keepCharacters = Math.floor(text.length * Math.min(1, keepRatio));
    if (keepCharacters < MINIMUM_KEPT) return undefined;
    const head = safeCut(text, Math.ceil(keepCharacters / 2));
    const tail = safeCut(
      text,
      text.length - Math.floor(keepCharacters / 2),
      true,
    );
    const removed = tail - head;
    const shortenedText = text.slice(0, head) + omissionMarker(removed) +
      text.slice(tail);
    const message = withText(original, shortenedText);
    const tokensAfter = tokensOf(message);
    if (tokensAfter <= allowed) {
      return {
        message,
        report: {
          index,
          original,
          message,
          tokensBefore,
          tokensAfter,
          removedCharacters: removed,
        },
      };
    }
    keepRatio *= Math.max(
      0.5,
      (allowed - framing) / (tokensAfter - framing) * 0.95,
    );
  }
  return undefined;
}

/** The text to shorten: the string content, or the longest text part. */
function textOf(message: ChatMessage): string | undefined {
  const { content } = message;
  if (typeof content === "string") {
    return content.length > MINIMUM_KEPT ? content : undefined;
  }
  if (!Array.isArray(content)) return undefined;
  let longest: string | undefined;
  for (const part of content) {
    if (
      part.type === "text" &&
      part.text.length > (longest?.length ?? MINIMUM_KEPT)
    ) {
      longest = part.text;
    }
  }
  return longest;
}

/** A copy of the message with its text (or its longest text part) replaced. */
function withText(message: ChatMessage, text: string): ChatMessage {
  const { content } = message;
  if (typeof content === "string" || !Array.isArray(content)) {
    return { ...message, content: text };
  }
  const longest = textOf(message);
  let replaced = false;
  return {
    ...message,
    content: content.map((part) => {
      if (!replaced && part.type === "text" && part.text === longest) {
        replaced = true;
        return { ...part, text };
      }
      return part;
    }),
  };
}

/**
 * Moves a cut off the middle of a surrogate pair, and onto a line or word
 * boundary when one is near.
 */
function safeCut(text: string, at: number, forward = false): number {
  let cut = Math.max(0, Math.min(text.length, at));
  const window = 40;
  for (let d = 0; d < window; d++) {
    const i = forward ? cut + d : cut - d;
    if (i <= 0 || i >= text.length) break;
    const c = text.charCodeAt(forward ? i - 1 : i);
    if (c === 10 || c === 32) {
      cut = i;
      break;
    }
  }
  const c = text.charCodeAt(cut);
  if (c >= 0xdc00 && c <= 0xdfff) cut += forward ? 1 : -1;
  return cut;
}
