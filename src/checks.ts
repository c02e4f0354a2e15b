/**
 * The value checks every options shape uses: each turns a wrong value into a
 * {@link ConfigError} that names the field, the value and what it accepts,
 * and an unknown key into one that names the nearest valid key.
 *
 * @module
 */

import { ConfigError } from "./errors/mod.ts";

/**
 * The keys an options shape may have, complete by type: a new option that is
 * not listed fails to compile, so the unknown-key check cannot forget it
 * (ky's `{ [K in keyof Options]-?: true }`).
 */
export type KeyRegistry<T> = { readonly [K in keyof T]-?: true };

/** Whether a value is a plain object (not null, not an array). */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Sets fields on a request body; where both the body's value and the new
 * one are plain objects (`chat_template_kwargs`, `reasoning`), they are
 * merged, not replaced.
 *
 * @param body The body, changed.
 * @param fields The fields to set.
 */
export function mergeFields(
  body: Record<string, unknown>,
  fields: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(fields)) {
    const current = body[key];
    body[key] = isPlainObject(current) && isPlainObject(value)
      ? { ...current, ...value }
      : value;
  }
}

/**
 * @param where The shape's name in messages: `"config"`, `"options"`.
 * @param value The caller's object; `undefined` passes.
 * @param known The keys it may have.
 * @throws {ConfigError} For a non-object, or a key it may not have; the
 * message names the nearest valid key, or lists them all.
 */
export function checkKnownKeys(
  where: string,
  value: unknown,
  known: KeyRegistry<object>,
): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) throw new ConfigError(where, value, "an object");
  const keys = Object.keys(known);
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(known, key)) continue;
    const hint = nearestKey(key, keys);
    throw new ConfigError(
      `${where}.${key}`,
      value[key],
      hint
        ? `no such option; did you mean ${hint}?`
        : `one of: ${keys.join(", ")}`,
    );
  }
}

/**
 * The known key a typo most likely meant: the same letters in another case,
 * a key it starts, or one at most a third of its letters away.
 *
 * @param key The unknown key.
 * @param known The valid keys.
 * @returns The nearest, or `undefined` when none is near.
 */
export function nearestKey(
  key: string,
  known: readonly string[],
): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    if (c === lower || (lower.length >= 3 && c.startsWith(lower))) {
      return candidate;
    }
    const d = editDistance(lower, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 3))
    ? best
    : undefined;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0][j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        rows[i - 1][j] + 1,
        rows[i][j - 1] + 1,
        rows[i - 1][j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      }
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

/** @throws {ConfigError} Unless `value` is a whole number of at least 1. */
export function checkPositiveInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(field, value, "a whole number of at least 1");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is a whole number of at least 0. */
export function checkNonNegativeInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ConfigError(field, value, "a whole number of at least 0");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is a whole number. */
export function checkInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new ConfigError(field, value, "a whole number");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is a number from `min` to `max`. */
export function checkRange(
  field: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== "number" || !(value >= min && value <= max)) {
    throw new ConfigError(field, value, `a number from ${min} to ${max}`);
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is a number of milliseconds above 0. */
export function checkMilliseconds(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(field, value, "a number of milliseconds above 0");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is `true` or `false`. */
export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new ConfigError(field, value, "true or false");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is a non-empty string. */
export function checkNonEmptyString(field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(field, value, "a non-empty string");
  }
  return value;
}

/** @throws {ConfigError} Unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    const names = allowed.map((a) => `"${a}"`);
    throw new ConfigError(
      field,
      value,
      names.length > 1
        ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`
        : names[0],
    );
  }
  return value as T;
}

/** @throws {ConfigError} Unless `value` is a plain object. */
export function checkObject(
  field: string,
  value: unknown,
  accepted: string,
): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ConfigError(field, value, accepted);
  return value;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * @returns The headers as a plain object.
 * @throws {ConfigError} For a name that is not a header token, or a value
 * with CR, LF or NUL (header injection).
 */
export function checkHeaders(
  field: string,
  value: unknown,
): Record<string, string> {
  checkObject(field, value, "an object of header names to string values");
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigError(`${field} name`, name, "a valid HTTP header name");
    }
    if (typeof v !== "string" || /[\r\n\0]/.test(v)) {
      // The value is not echoed: it may be a credential.
      throw new ConfigError(
        `${field}["${name}"]`,
        typeof v === "string" ? "(a string with a line break)" : v,
        "a string without CR, LF or NUL characters",
      );
    }
    headers[name] = v;
  }
  return headers;
}
