/**
 * The three time limits of a request: the wait for the response headers, the
 * longest silence between pieces of a stream, and an overall deadline that
 * covers retries and the whole body.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";

/**
 * Time limits in milliseconds, each optional. A plain number sets both
 * `headers` and `idle`.
 *
 * @example Setting each timeout apart
 * ```ts
 * import { GptOssClient, type TimeoutSettings } from "@gptoss/client";
 * const timeout: TimeoutSettings = { headers: 60_000, idle: 15_000, total: 300_000 };
 * const client = new GptOssClient({ timeout });
 * ```
 */
export interface TimeoutSettings {
  /** The wait for the response headers (the server may queue the request). Default 30000. */
  headers?: number;
  /** The longest silence between pieces of a stream, or while reading a body. Default 30000. */
  idle?: number;
  /** The whole call, retries and body included. Default: none. */
  total?: number;
}

/**
 * The limits in effect: {@link TimeoutSettings} checked, with defaults, as
 * `client.settings.timeout` shows them.
 *
 * @example Reading the resolved timeouts
 * ```ts
 * import { GptOssClient } from "@gptoss/client";
 * const { headers, idle, total } = new GptOssClient({ timeout: 5000 }).settings.timeout;
 * console.log(headers, idle, total); // 5000 5000 undefined
 * ```
 */
export interface Timeouts {
  /** Milliseconds to wait for the response headers. */
  headers: number;
  /** Milliseconds of silence allowed while reading a body or a stream. */
  idle: number;
  /** Milliseconds for the whole call, retries included; none when absent. */
  total?: number;
}

/** 30 seconds for headers and for each silence; no overall deadline. */
export const DEFAULT_TIMEOUTS: Timeouts = Object.freeze({
  headers: 30_000,
  idle: 30_000,
});

const KEYS = new Set(["headers", "idle", "total"]);

function milliseconds(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(field, value, "a number of milliseconds above 0");
  }
  return value;
}

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
  base: Timeouts = DEFAULT_TIMEOUTS,
): Timeouts {
  if (value === undefined) return base;
  if (typeof value === "number") {
    const ms = milliseconds(field, value);
    return { ...base, headers: ms, idle: ms };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(
      field,
      value,
      "a number of milliseconds above 0, or { headers, idle, total }",
    );
  }
  const settings = value as Record<string, unknown>;
  for (const key of Object.keys(settings)) {
    if (!KEYS.has(key)) {
      throw new ConfigError(
        `${field}.${key}`,
        settings[key],
        "headers, idle or total",
      );
    }
  }
  const out: Timeouts = { ...base };
  if (settings.headers !== undefined) {
    out.headers = milliseconds(`${field}.headers`, settings.headers);
  }
  if (settings.idle !== undefined) {
    out.idle = milliseconds(`${field}.idle`, settings.idle);
  }
  if (settings.total !== undefined) {
    out.total = milliseconds(`${field}.total`, settings.total);
  }
  return out;
}
