/**
 * A wrong configuration value or per-call option.
 *
 * @module
 */

import { GptOssError } from "./gptoss_error.ts";

/**
 * A configuration value or a per-call option is wrong. Thrown by the
 * constructor and before any request, never after one was sent.
 *
 * @example Catching a bad setting
 * ```ts
 * import { ConfigError, GptOssClient } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * assert.throws(
 *   () => new GptOssClient({ temperature: 5 }),
 *   (error) => error instanceof ConfigError && error.field === "temperature",
 * );
 * ```
 */
export class ConfigError extends GptOssError {
  /** The option's name. */
  readonly field: string;
  /** The rejected value. */
  readonly value: unknown;

  /**
   * Creates the error.
   *
   * @param field The option's name.
   * @param value The rejected value.
   * @param accepted What the option accepts, as a phrase ("a number from 0 to 2").
   * @param message A message to use instead of the one built from the above.
   */
  constructor(
    field: string,
    value: unknown,
    accepted: string,
    message?: string,
  ) {
    super(
      message ??
        `Invalid ${field}: ${describeValue(value)}. Expected ${accepted}.`,
    );
    this.field = field;
    this.value = value;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (value === null || typeof value !== "object") return String(value);
  try {
    return JSON.stringify(value).slice(0, 80);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
