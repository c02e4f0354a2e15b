/**
 * Where the command line writes: the answer to stdout, everything else
 * (reasoning, notes, the spinner, stats, errors) to stderr. Colour and the
 * spinner only on a terminal, and never with `NO_COLOR`.
 *
 * @module
 */

const encoder = new TextEncoder();

function writeAll(text: string, to: typeof Deno.stdout): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(to.writeSync(bytes));
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** The command line's two outputs. */
export class Terminal {
  /** Whether stderr is a terminal that takes colour. */
  readonly fancy: boolean;
  #spinner: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.fancy = Deno.stderr.isTerminal() && !Deno.noColor;
  }

  /** Writes to stdout: the answer, JSON. */
  out(text: string): void {
    this.stopSpinner();
    writeAll(text, Deno.stdout);
  }

  /** Writes to stderr: notes, reasoning, stats. */
  err(text: string): void {
    this.stopSpinner();
    writeAll(text, Deno.stderr);
  }

  /** Dims text for stderr on a terminal. */
  dim(text: string): string {
    return this.fancy ? `\x1b[2m${text}\x1b[22m` : text;
  }

  /** Shows a spinner with a label on stderr until the next write (terminal only). */
  startSpinner(label: string): void {
    if (!this.fancy || this.#spinner !== undefined) return;
    let frame = 0;
    const draw = () =>
      writeAll(
        `\r${this.dim(`${FRAMES[frame++ % FRAMES.length]} ${label}`)}`,
        Deno.stderr,
      );
    draw();
    this.#spinner = setInterval(draw, 80);
  }

  /** Removes the spinner, if it is shown. */
  stopSpinner(): void {
    if (this.#spinner === undefined) return;
    clearInterval(this.#spinner);
    this.#spinner = undefined;
    writeAll("\r\x1b[2K", Deno.stderr);
  }
}
