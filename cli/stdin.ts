/**
 * Standard input: all of it (piped context), or line by line (a piped or
 * typed conversation).
 *
 * @module
 */

/** Everything on standard input, or `""` when it is a terminal. */
export async function readAllStdin(): Promise<string> {
  if (Deno.stdin.isTerminal()) return "";
  return await new Response(Deno.stdin.readable).text();
}

/** The lines of standard input as they come, without their line ends. */
export async function* stdinLines(): AsyncGenerator<string> {
  let pending = "";
  const text = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  for await (const chunk of text) {
    pending += chunk;
    let end: number;
    while ((end = pending.indexOf("\n")) !== -1) {
      yield pending.slice(0, end).replace(/\r$/, "");
      pending = pending.slice(end + 1);
    }
  }
  if (pending) yield pending;
}
