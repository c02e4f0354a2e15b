/**
 * `--mock`: the built-in mock server on its own, to try the command line,
 * the library or an app against without a model (`deno task mock`).
 *
 * @module
 */

import { EXIT } from "./failure.ts";
import type { Terminal } from "./terminal.ts";

/**
 * Serves until Ctrl-C.
 *
 * @param port The port, or any free one.
 * @param term Where to print the address.
 * @param stop Resolves when the user stops it.
 * @returns The exit code.
 */
export async function runMock(
  port: number | undefined,
  term: Terminal,
  stop: Promise<void>,
): Promise<number> {
  // Loaded only here: the command line does not carry the mock otherwise.
  const { startMockServer } = await import("../testing/mod.ts");
  await using server = await startMockServer(
    port === undefined ? {} : { port },
  );
  term.out(`${server.url}\n`);
  term.err(
    `A mock GPT-OSS server answers at ${server.url} (Ctrl-C stops it). Try:\n  deno run --allow-net cli.ts --url ${server.url} "Hello"\n`,
  );
  await stop;
  return EXIT.interrupted;
}
