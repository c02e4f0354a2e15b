/**
 * One question, one answer: streamed (or whole with `--no-stream`), as JSON
 * with `--json`, or only counted with `--count`.
 *
 * @module
 */

import type { ChatMessage, GptOssClient } from "../mod.ts";
import type { CliOptions } from "./args.ts";
import { showAnswer } from "./answer.ts";
import { EXIT } from "./failure.ts";
import { statsLine } from "./stats_line.ts";
import type { Terminal } from "./terminal.ts";

/**
 * @returns The exit code.
 * @throws {GptOssError} What the client throws.
 */
export async function runOneShot(
  client: GptOssClient,
  options: CliOptions,
  prompt: string,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> {
  const messages: ChatMessage[] = [
    ...(options.system
      ? [{ role: "system" as const, content: options.system }]
      : []),
    { role: "user", content: prompt },
  ];
  if (options.count) {
    const count = await client.countTokens(messages, { signal });
    if (options.json) term.out(`${JSON.stringify(count)}\n`);
    else {
      term.out(
        `${count.promptTokens} tokens (${
          count.exact ? "exact" : "estimated"
        }, counted by ${count.source})\n`,
      );
    }
    return EXIT.ok;
  }
  if (options.json) {
    const completion = await client.generateResponse(messages, { signal });
    term.out(`${JSON.stringify(completion, null, 2)}\n`);
    return EXIT.ok;
  }
  const completion = await showAnswer(client, messages, { signal }, term, {
    showReasoning: options.showReasoning,
    noStream: options.noStream,
    waitingFor: waitingFor(client),
  });
  if (options.stats) {
    term.err(`${statsLine(completion, await contextSize(client))}\n`);
  }
  return EXIT.ok;
}

/** What the spinner says: the model and the server. */
export function waitingFor(client: GptOssClient): string {
  const { model, baseUrl } = client.settings;
  return `waiting for ${model ?? "the model"} at ${baseUrl}`;
}

/** The context window: configured, or as the server told it (`--context auto`). */
export async function contextSize(
  client: GptOssClient,
): Promise<number | undefined> {
  const size = client.settings.maxContextSize;
  if (typeof size === "number") return size;
  return (await client.discover().catch(() => undefined))?.contextLength;
}
