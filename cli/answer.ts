/**
 * One answer, shown as it arrives: a spinner until the first token, the
 * reasoning dimmed on stderr when asked, the answer on stdout.
 *
 * @module
 */

import {
  type ChatCompletion,
  type ChatMessage,
  explainServerTruncation,
  type GptOssClient,
  type RequestOptions,
} from "../mod.ts";
import type { Terminal } from "./terminal.ts";

/** How to show the answer. */
export interface AnswerOptions {
  showReasoning: boolean;
  noStream: boolean;
  /** What the spinner says it waits for. */
  waitingFor: string;
}

/**
 * @returns The completion.
 * @throws {GptOssError} As the client does; an interrupted stream ends with
 * `AbortError` and what arrived in `error.partial`.
 */
export async function showAnswer(
  client: GptOssClient,
  messages: ChatMessage[],
  request: RequestOptions,
  term: Terminal,
  options: AnswerOptions,
): Promise<ChatCompletion> {
  const completion = await answer(client, messages, request, term, options);
  const cut = completion.serverTruncated;
  if (cut) {
    // Which server it is decides the advice: ask once, if not known yet.
    if (!client.settings.server) await client.discover().catch(() => {});
    term.err(
      `warning: ${explainServerTruncation(cut, client.settings.server)}\n`,
    );
  }
  return completion;
}

async function answer(
  client: GptOssClient,
  messages: ChatMessage[],
  request: RequestOptions,
  term: Terminal,
  options: AnswerOptions,
): Promise<ChatCompletion> {
  term.startSpinner(options.waitingFor);
  try {
    if (options.noStream) {
      const completion = await client.generateResponse(messages, request);
      const { content, reasoning } = completion.choices[0].message;
      if (options.showReasoning && reasoning) {
        term.err(term.dim(`${reasoning}\n`));
      }
      term.out(`${content ?? ""}\n`);
      return completion;
    }
    const stream = client.streamResponse(messages, request);
    let inReasoning = false;
    let wroteContent = false;
    try {
      for await (const delta of stream) {
        if (options.showReasoning && delta.reasoning) {
          term.err(term.dim(delta.reasoning));
          inReasoning = true;
        }
        if (delta.content) {
          if (inReasoning) {
            term.err("\n");
            inReasoning = false;
          }
          term.out(delta.content);
          wroteContent = true;
        }
      }
    } finally {
      if (inReasoning) term.err("\n");
      if (wroteContent) term.out("\n");
    }
    return await stream.completion();
  } finally {
    term.stopSpinner();
  }
}
