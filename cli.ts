/**
 * A command line for GPT-OSS servers: ask a question and watch the answer
 * stream, pipe context in, or hold a conversation.
 *
 * ```sh
 * deno run --allow-net cli.ts "Why is the sky blue?"
 * cat notes.md | deno run --allow-net cli.ts "Summarise this."
 * deno run --allow-net --allow-env cli.ts --chat
 * ```
 *
 * Parsing and presentation only (the files under `cli/`): everything else
 * goes through the public API of `mod.ts`.
 *
 * @example Running the command line from code
 * ```ts
 * import { main } from "@gptoss/client/cli";
 * import assert from "node:assert/strict";
 * const exitCode = await main(["--version"]); // prints "gpt-oss <version>"
 * assert.equal(exitCode, 0);
 * ```
 *
 * @module
 */

import { GptOssClient, GptOssError, VERSION } from "./mod.ts";
import { parseCommandLine, USAGE, UsageError } from "./cli/args.ts";
import { runChat } from "./cli/chat.ts";
import { pipedLines, terminalLines } from "./cli/chat_input.ts";
import { clientConfig } from "./cli/config.ts";
import { missingNetPermission } from "./cli/environment.ts";
import { describeFailure, EXIT } from "./cli/failure.ts";
import { Interrupts } from "./cli/interrupts.ts";
import { runMock } from "./cli/mock.ts";
import { runOneShot } from "./cli/one_shot.ts";
import { readAllStdin, stdinLines } from "./cli/stdin.ts";
import { Terminal } from "./cli/terminal.ts";

/**
 * Runs the command line.
 *
 * @param args The arguments, without the program name.
 * @returns The exit code: 0 done, 1 the server or the model failed, 2 a
 * usage error, 130 interrupted.
 *
 * @example Running the command line from your own script
 * ```ts
 * import { main } from "@gptoss/client/cli";
 * // A script of your own would end with: Deno.exit(await main(Deno.args));
 * import assert from "node:assert/strict";
 * assert.equal(await main(["--help"]), 0); // prints the usage
 * assert.equal(await main(["--temprature", "1"]), 2); // a usage error
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const term = new Terminal();
  let baseUrl = "http://localhost:8000";
  let json = false;
  const fail = (error: unknown): number => {
    const failure = describeFailure(error, baseUrl);
    if (json) {
      // Under --json the failure is JSON too, where the answer would be.
      const details = error instanceof GptOssError ? error.toJSON() : {};
      term.out(
        `${
          JSON.stringify(
            {
              error: {
                ...details,
                message: failure.message,
                exitCode: failure.code,
              },
            },
            null,
            2,
          )
        }\n`,
      );
    } else term.err(`error: ${failure.message}\n`);
    return failure.code;
  };

  let client: GptOssClient;
  let options;
  try {
    options = parseCommandLine(args);
    json = options.json;
    if (options.help) {
      term.out(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (options.version) {
      term.out(`gpt-oss ${VERSION}\n`);
      return EXIT.ok;
    }
    if (options.mock) {
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => stop = resolve);
      using _ = new Interrupts(() => stop());
      return await runMock(options.port, term, stopped);
    }
    client = new GptOssClient(
      await clientConfig(options, (line) => term.note(line)),
    );
    baseUrl = client.settings.baseUrl;
  } catch (error) {
    return fail(error);
  }
  let interrupted!: () => void;
  const idle = new Promise<void>((resolve) => interrupted = resolve);
  using interrupts = new Interrupts(() => interrupted());
  try {
    const chat = options.chat || (!options.question && Deno.stdin.isTerminal());
    let prompt = "";
    if (!chat) {
      const context = await readAllStdin();
      prompt = options.question && context.trim()
        ? `${context.trimEnd()}\n\n${options.question}`
        : options.question || context;
      if (!prompt.trim()) {
        throw new UsageError(
          "No question: pass it as an argument, pipe it on standard input, or use --chat.",
        );
      }
    }
    // Say which flag to add rather than let a request fail or prompt.
    const missing = missingNetPermission(baseUrl);
    if (missing) {
      term.err(
        `error: no permission to reach ${
          new URL(baseUrl).host
        }: run with ${missing}\n`,
      );
      return EXIT.usage;
    }
    if (chat) {
      const typed = Deno.stdin.isTerminal();
      return await runChat(
        client,
        options,
        term,
        typed ? terminalLines() : pipedLines(stdinLines()),
        interrupts,
        idle,
        typed,
      );
    }
    const signal = interrupts.begin();
    return await Promise.race([
      runOneShot(client, options, prompt, term, signal),
      idle.then(() => EXIT.interrupted),
    ]);
  } catch (error) {
    return fail(error);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
