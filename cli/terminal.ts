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
  /** The spinner's next frame: its timer, and what draws it. */
  #spinner: { timer: AbortSignal; tick: () => void } | undefined;
  #label: string | (() => string) = "";

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

  /**
   * Writes a line to stderr without ending the spinner: its line is cleared
   * first, and it turns on below (a warning while waiting).
   */
  note(text: string): void {
    if (this.#spinner === undefined) {
      writeAll(text, Deno.stderr);
      return;
    }
    writeAll(`\r\x1b[2K${text}`, Deno.stderr);
  }

  /** Dims text for stderr on a terminal. */
  dim(text: string): string {
    return this.fancy ? `\x1b[2m${text}\x1b[22m` : text;
  }

  /**
   * Shows a spinner with a label on stderr until the next write (terminal
   * only); the label may change while it turns ({@link Terminal.spinnerLabel}).
   */
  startSpinner(label: string | (() => string)): void {
    if (!this.fancy || this.#spinner !== undefined) return;
    this.#label = label;
    let frame = 0;
    const draw = () => {
      const text = typeof this.#label === "function"
        ? this.#label()
        : this.#label;
      writeAll(
        `\r\x1b[2K${this.dim(`${FRAMES[frame++ % FRAMES.length]} ${text}`)}`,
        Deno.stderr,
      );
    };
    draw();
    this.#nextFrame(draw);
  }

  /**
   * Draws again in 80 ms. A timeout signal rather than `setInterval`, whose
   * first call in a process loads Node's timers (about 8 ms, before the
   * request is sent); a signal no longer listened to holds no process.
   */
  #nextFrame(draw: () => void): void {
    const spinner = {
      timer: AbortSignal.timeout(80),
      tick: () => {
        if (this.#spinner !== spinner) return;
        draw();
        this.#nextFrame(draw);
      },
    };
    spinner.timer.addEventListener("abort", spinner.tick, { once: true });
    this.#spinner = spinner;
  }

  /** Changes what the spinner says, if it turns. */
  spinnerLabel(label: string | (() => string)): void {
    this.#label = label;
  }

  /** Removes the spinner, if it is shown. */
  stopSpinner(): void {
    const spinner = this.#spinner;
    if (spinner === undefined) return;
    spinner.timer.removeEventListener("abort", spinner.tick);
    this.#spinner = undefined;
    writeAll("\r\x1b[2K", Deno.stderr);
  }
}
