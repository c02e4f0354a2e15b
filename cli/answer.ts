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
  const note = truncationNote(completion);
  if (note) term.err(term.dim(`${note}\n`));
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
        term.err(
          term.fancy
            ? term.dim(`${reasoning}\n`)
            : `reasoning: ${reasoning}\nanswer: `,
        );
      }
      term.out(`${content ?? ""}\n`);
      return completion;
    }
    const stream = client.streamResponse(messages, request);
    let inReasoning = false;
    let wroteContent = false;
    let thinkingSince: number | undefined;
    try {
      for await (const delta of stream) {
        if (!options.showReasoning && delta.reasoning && !wroteContent) {
          // The reasoning is hidden: say that the model thinks, and how long.
          if (thinkingSince === undefined) {
            thinkingSince = Date.now();
            const since = thinkingSince;
            term.spinnerLabel(() =>
              `thinking… ${Math.floor((Date.now() - since) / 1000)} s`
            );
          }
        }
        if (options.showReasoning && delta.reasoning) {
          // Without colour, labels tell the reasoning from the answer.
          if (!inReasoning && !term.fancy) term.err("reasoning: ");
          term.err(term.dim(delta.reasoning));
          inReasoning = true;
        }
        if (delta.content) {
          if (inReasoning) {
            term.err(term.fancy ? "\n" : "\nanswer: ");
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

/**
 * What the client left out to fit the context window, in one line, or
 * `undefined` when it sent everything.
 */
export function truncationNote(completion: ChatCompletion): string | undefined {
  const truncation = completion.truncation;
  if (!truncation) return undefined;
  const { dropped, shortened, budget } = truncation;
  const parts: string[] = [];
  if (dropped.length) {
    parts.push(
      `dropped ${dropped.length} earlier message${
        dropped.length > 1 ? "s" : ""
      }`,
    );
  }
  if (shortened.length) {
    const characters = shortened.reduce((n, s) => n + s.removedCharacters, 0);
    parts.push(
      `shortened ${
        shortened.length > 1
          ? `${shortened.length} messages`
          : "the longest message"
      } (${characters} characters of the middle left out)`,
    );
  }
  if (parts.length === 0) return undefined;
  return `note: ${
    parts.join(" and ")
  } to fit the context window (${budget} tokens for the prompt); a bigger --context helps if the server allows it`;
}
