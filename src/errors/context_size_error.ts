/**
 * A conversation that does not fit the context window.
 *
 * @module
 */

import { GptOssError } from "./gptoss_error.ts";

/**
 * Counts behind a {@link ContextSizeError}; a server gives some of them.
 *
 * @example Describing a prompt that does not fit
 * ```ts
 * import type { ContextSizeDetails } from "@gptoss/client";
 * const details: ContextSizeDetails = { promptTokens: 9000, maxContextSize: 8192, maxTokens: 2048 };
 * ```
 */
export interface ContextSizeDetails {
  /** The tokens of the prompt. */
  promptTokens?: number;
  /** The context window. */
  maxContextSize?: number;
  /** The tokens reserved for the answer. */
  maxTokens?: number;
  /** The HTTP status when the server rejected the request. */
  status?: number;
  /** The server's own message when the server rejected the request. */
  serverMessage?: string;
}

/**
 * The prompt does not fit the context window: the client found it would not
 * (and could not trim it), or the server rejected it.
 *
 * @example Reading why a prompt does not fit
 * ```ts
 * import { ContextSizeError } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const error = new ContextSizeError({ promptTokens: 9000, maxContextSize: 8192, maxTokens: 2048 });
 * assert.match(error.message, /needs 9000 tokens plus 2048 for the answer, the context window is 8192/);
 * ```
 */
export class ContextSizeError extends GptOssError {
  /** The tokens of the prompt, when known. */
  declare readonly promptTokens?: number;
  /** The context window, when known. */
  declare readonly maxContextSize?: number;
  /** The tokens reserved for the answer, when known. */
  declare readonly maxTokens?: number;
  /** The HTTP status, when the server rejected the request. */
  declare readonly status?: number;
  /** The server's message, when the server rejected the request. */
  declare readonly serverMessage?: string;

  /**
   * Creates the error.
   *
   * @param details The counts, and the server's answer when it rejected the request.
   */
  constructor(details: ContextSizeDetails) {
    const { promptTokens, maxContextSize, maxTokens } = details;
    const counts = promptTokens !== undefined && maxContextSize !== undefined
      ? `the prompt needs ${promptTokens} tokens${
        maxTokens !== undefined ? ` plus ${maxTokens} for the answer` : ""
      }, the context window is ${maxContextSize}`
      : details.serverMessage?.replace(/[.\s]+$/, "") ??
        "the prompt is longer than the context window";
    super(
      `The conversation does not fit the context window: ${counts}. Shorten the system prompt or the latest message, lower maxTokens, or raise maxContextSize if the server allows it.`,
    );
    if (promptTokens !== undefined) this.promptTokens = promptTokens;
    if (maxContextSize !== undefined) this.maxContextSize = maxContextSize;
    if (maxTokens !== undefined) this.maxTokens = maxTokens;
    if (details.status !== undefined) this.status = details.status;
    if (details.serverMessage !== undefined) {
      this.serverMessage = details.serverMessage;
    }
  }
}
