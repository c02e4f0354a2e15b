/**
 * Keeps secrets out of everything the client shows: log lines, error
 * messages, error bodies. A secret is the API key, a password in the base
 * URL, or the value of a credential header the caller configured.
 *
 * @module
 */

import type { LogData, Logger } from "./logger.ts";

/** What a secret becomes wherever it would have been shown. */
export const REDACTED = "[redacted]";

const CREDENTIAL_HEADER =
  /^(authorization|proxy-authorization|cookie|x-api-key|api-key)$/i;

/**
 * Whether a header carries a credential, so that its value must never be shown.
 *
 * @param name The header's name.
 * @returns `true` for Authorization, Cookie and API-key headers.
 */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

/** Replaces every known secret in strings and in nested log data. */
export class Redactor {
  readonly #secrets: string[];

  /** @param secrets The values to hide; empty and missing ones are ignored. */
  constructor(secrets: readonly (string | undefined)[]) {
    // Longest first, so that a secret containing another is hidden whole.
    this.#secrets = [
      ...new Set(secrets.filter((s): s is string => !!s)),
    ].sort((a, b) => b.length - a.length);
  }

  /**
   * @param text Any text.
   * @returns The text with every secret replaced by {@link REDACTED}.
   */
  text(text: string): string {
    for (const secret of this.#secrets) {
      if (text.includes(secret)) text = text.replaceAll(secret, REDACTED);
    }
    return text;
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
   * Hides every secret in an error, in place: its message, its stack, its
   * string fields (a server's body, its message) and its cause's message.
   *
   * @param error Anything thrown.
   * @returns The same error.
   */
  error<T>(error: T): T {
    if (!(error instanceof Error) || this.#secrets.length === 0) return error;
    const fields = error as unknown as Record<string, unknown>;
    for (const key of [...Object.keys(error), "message", "stack"]) {
      const value = fields[key];
      if (typeof value === "string") fields[key] = this.text(value);
    }
    if (error.cause instanceof Error && error.cause !== error) {
      this.error(error.cause);
    }
    return error;
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
