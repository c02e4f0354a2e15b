/**
 * The three time limits of a request: the wait for the response headers, the
 * longest silence between pieces of a stream, and an overall deadline that
 * covers retries and the whole body.
 *
 * @module
 */

import {
  checkKnownKeys,
  checkMilliseconds,
  type KeyRegistry,
} from "../checks.ts";
import { ConfigError } from "../errors/mod.ts";

/**
 * Time limits in milliseconds, each optional. A plain number given as
 * `timeout` sets both `headers` and `idle`.
 *
 * @example Setting each limit apart
 * ```ts
 * import { GptOssClient, type Timeouts } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const timeout: Timeouts = { headers: 60_000, total: 300_000 };
 * const client = new GptOssClient({ timeout });
 * assert.deepEqual(client.settings.timeout, { headers: 60_000, idle: 30_000, total: 300_000 });
 * ```
 */
export interface Timeouts {
  /** The wait for the response headers (the server may queue the request). Default 30000. */
  headers?: number;
  /** The longest silence between pieces of a stream, or while reading a body. Default 30000. */
  idle?: number;
  /** The whole call, retries and body included. Default: none. */
  total?: number;
}

/** {@link Timeouts} checked, with defaults. */
export interface TimeoutLimits {
  headers: number;
  idle: number;
  total?: number;
}

/** 30 seconds for headers and for each silence; no overall deadline. */
export const DEFAULT_TIMEOUTS: TimeoutLimits = Object.freeze({
  headers: 30_000,
  idle: 30_000,
});

const KEYS: KeyRegistry<Timeouts> = { headers: true, idle: true, total: true };

/**
 * @param field The option's name, for errors.
 * @param value A number (headers and idle) or `{ headers, idle, total }`.
 * @param base The limits that apply where the value says nothing.
 * @returns The limits.
 * @throws {ConfigError} For anything but positive numbers of milliseconds.
 */
export function resolveTimeouts(
  field: string,
  value: unknown,
  base: TimeoutLimits = DEFAULT_TIMEOUTS,
): TimeoutLimits {
  if (value === undefined) return base;
  if (typeof value === "number") {
    const ms = checkMilliseconds(field, value);
    return { ...base, headers: ms, idle: ms };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(
      field,
      value,
      "a number of milliseconds above 0, or { headers, idle, total }",
    );
  }
  checkKnownKeys(field, value, KEYS);
  const settings = value as Record<string, unknown>;
  const out: TimeoutLimits = { ...base };
  for (const key of ["headers", "idle", "total"] as const) {
    if (settings[key] !== undefined) {
      out[key] = checkMilliseconds(`${field}.${key}`, settings[key]);
    }
  }
  return out;
}
