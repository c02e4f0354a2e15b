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
        }, counted by ${COUNTED_BY[count.source]})\n`,
      );
    }
    return EXIT.ok;
  }
  if (options.json) {
    const completion = await client.generateResponse(messages, { signal });
    // The completion carries its stats; --stats adds the window it used.
    const window = options.stats ? await contextSize(client) : undefined;
    term.out(
      `${
        JSON.stringify(
          window === undefined
            ? completion
            : { ...completion, contextWindow: window },
          null,
          2,
        )
      }\n`,
    );
    return EXIT.ok;
  }
  // With --stats, finding the server is timed apart from the answer.
  const discoveryMs = options.stats ? await timeDiscovery(client) : undefined;
  const completion = await showAnswer(client, messages, { signal }, term, {
    showReasoning: options.showReasoning,
    noStream: options.noStream,
    waitingFor: waitingFor(client),
  });
  if (options.stats) {
    term.err(
      `${statsLine(completion, await contextSize(client), discoveryMs)}\n`,
    );
  }
  return EXIT.ok;
}

/** Who counted, in words. */
const COUNTED_BY: Record<string, string> = {
  vllm: "vLLM",
  llamacpp: "llama.cpp",
  tokenizer: "the gpt-oss tokenizer",
  estimate: "the built-in estimator",
};

/**
 * Finds the model and the server before the first request, when a request
 * would have to (no --model, or --context auto), and times it.
 *
 * @returns The milliseconds it took, or `undefined` when nothing was needed.
 */
export async function timeDiscovery(
  client: GptOssClient,
): Promise<number | undefined> {
  const { model, maxContextSize } = client.settings;
  if (model && maxContextSize !== "auto") return undefined;
  const started = performance.now();
  await client.discover().catch(() => undefined);
  return performance.now() - started;
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
  const { contextWindow } = client.settings;
  if (contextWindow !== undefined) return contextWindow;
  return (await client.discover().catch(() => undefined))?.contextLength;
}
