/**
 * Keeps secrets out of everything the client shows: log lines, error
 * messages, error bodies and excerpts. A secret is the API key, a user name
 * or password in the base URL, or the value of a credential header, in the
 * configuration or in one call's options.
 *
 * A text is cut in many places (a 300-character server message, a 4 KB body
 * excerpt, a 200-character event), and a cut can leave part of a secret
 * behind; so beyond whole secrets, any run of {@link MIN_PIECE} or more
 * characters of a secret is hidden too.
 *
 * Errors are redacted in place only when they are the client's own
 * (`GptOssError`); an error of the caller's (an abort reason) is never
 * written to.
 *
 * @module
 */

import { GptOssError } from "./errors/mod.ts";
import type { LogData, Logger } from "./logger.ts";

/** What a secret becomes wherever it would have been shown. */
export const REDACTED = "[redacted]";

/** The shortest piece of a secret that is hidden on its own. */
export const MIN_PIECE = 6;

const CREDENTIAL_HEADER =
  /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token|x-access-token)$/i;

/**
 * Whether a header carries a credential, so that its value must never be shown.
 *
 * @param name The header's name.
 * @returns `true` for Authorization, Cookie and API-key headers.
 */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

/** Replaces every known secret, and every long enough piece of one. */
export class Redactor {
  readonly #secrets: string[];
  /** Every {@link MIN_PIECE}-character piece of every secret long enough to have one. */
  readonly #pieces: Set<string>;

  /** @param secrets The values to hide; empty and missing ones are ignored. */
  constructor(secrets: readonly (string | undefined)[]) {
    // Longest first, so that a secret containing another is hidden whole.
    this.#secrets = [
      ...new Set(secrets.filter((s): s is string => !!s)),
    ].sort((a, b) => b.length - a.length);
    this.#pieces = new Set();
    for (const secret of this.#secrets) {
      for (let i = 0; i + MIN_PIECE <= secret.length; i++) {
        this.#pieces.add(secret.slice(i, i + MIN_PIECE));
      }
    }
  }

  /** Whether there is anything to hide. */
  get empty(): boolean {
    return this.#secrets.length === 0;
  }

  /**
   * @param more Secrets of one call (a credential header in its options).
   * @returns A redactor that hides these and the client's.
   */
  with(more: readonly (string | undefined)[]): Redactor {
    return more.some(Boolean)
      ? new Redactor([...this.#secrets, ...more])
      : this;
  }

  /**
   * @param text Any text.
   * @returns The text with every secret, and every piece of one of at least
   * {@link MIN_PIECE} characters, replaced by {@link REDACTED}.
   */
  text(text: string): string {
    if (this.#secrets.length === 0) return text;
    for (const secret of this.#secrets) {
      if (text.includes(secret)) text = text.replaceAll(secret, REDACTED);
    }
    return this.#pieces.size ? this.#hidePieces(text) : text;
  }

  #hidePieces(text: string): string {
    let out = "";
    let from = 0;
    for (let i = 0; i + MIN_PIECE <= text.length; i++) {
      if (!this.#pieces.has(text.slice(i, i + MIN_PIECE))) continue;
      // Extend the piece as far as it stays a piece of some secret.
      let end = i + MIN_PIECE;
      while (
        end < text.length &&
        this.#secrets.some((s) => s.includes(text.slice(i, end + 1)))
      ) end++;
      out += text.slice(from, i) + REDACTED;
      from = end;
      i = end - 1;
    }
    return from === 0 ? text : out + text.slice(from);
  }

  /**
   * @param value Log data: strings, numbers, arrays and plain objects.
   * @returns A copy with every secret replaced; errors become their redacted message.
   */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.text(value);
    if (value instanceof Error) {
      return this.text(`${value.name}: ${value.message}`);
    }
    if (value === null || typeof value !== "object" || depth > 8) return value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      copy[key] = isCredentialHeader(key) ? REDACTED : this.value(v, depth + 1);
    }
    return copy;
  }

  /**
   * Hides every secret in an error of the client's, in place: its message,
   * its stack (even one already read), its string fields (a server's body,
   * its message), and its cause: the client's own cause redacted in turn; a
   * foreign cause left as it is, unless it shows a secret, when a redacted
   * copy replaces it on the client's error (the foreign object itself is
   * never written to).
   *
   * @param error Anything thrown.
   * @returns The same error; a foreign error that shows a secret becomes a
   * redacted `GptOssError` with the same message.
   */
  error<T>(error: T): T {
    if (this.#secrets.length === 0 || !(error instanceof Error)) return error;
    if (!(error instanceof GptOssError)) {
      return (this.#shows(error) ? this.#standIn(error) : error) as T;
    }
    this.#redactOwn(error, 0);
    return error;
  }

  #redactOwn(error: GptOssError, depth: number): void {
    const fields = error as unknown as Record<string, unknown>;
    for (const key of new Set([...Object.keys(error), "message", "stack"])) {
      const value = fields[key];
      if (typeof value !== "string") continue;
      const clean = this.text(value);
      if (clean !== value) {
        Object.defineProperty(error, key, {
          value: clean,
          writable: true,
          configurable: true,
          enumerable: Object.keys(error).includes(key),
        });
      }
    }
    const cause = error.cause;
    if (cause instanceof GptOssError && cause !== error && depth < 8) {
      this.#redactOwn(cause, depth + 1);
    } else if (cause instanceof Error && this.#shows(cause)) {
      Object.defineProperty(error, "cause", {
        value: this.#standIn(cause),
        writable: true,
        configurable: true,
      });
    }
  }

  /** Whether an error's message or stack shows a secret. */
  #shows(error: Error): boolean {
    const text = `${error.message}\n${error.stack ?? ""}`;
    return this.text(text) !== text;
  }

  #standIn(error: Error): GptOssError {
    const standIn = new GptOssError(this.text(error.message));
    standIn.name = error.name;
    Object.defineProperty(standIn, "stack", {
      value: this.text(error.stack ?? `${error.name}: ${error.message}`),
      writable: true,
      configurable: true,
    });
    return standIn;
  }

  /**
   * @param logger The caller's logger.
   * @returns A logger that hides every secret before passing a line on.
   */
  logger(logger: Logger): Logger {
    const wrap = (level: keyof Logger) => (message: string, data?: LogData) => {
      const clean = this.text(message);
      if (data === undefined) logger[level](clean);
      else logger[level](clean, this.value(data) as LogData);
    };
    return {
      debug: wrap("debug"),
      info: wrap("info"),
      warn: wrap("warn"),
      error: wrap("error"),
    };
  }
}
