/**
 * The delta of an event template (stream/event_template.ts), compiled from
 * its probe: the template filled with one marker string per group of equal
 * values, parsed and read the usual way; where a marker comes out, the
 * group's value goes.
 *
 * @module
 */

/** What starts every marker (no JSON escape needed). */
const MARKER = "p\u2603";

/** The marker of a group in the probe. */
export const marker = (group: number): string => `${MARKER}${group}`;

/** Makes a delta from the values of an event's groups. */
export type Build = (values: readonly string[]) => unknown;

/**
 * Compiles the probe's delta into a builder: each marker string becomes its
 * group's value, the rest is copied; every call makes new objects.
 */
export function compileDelta(shape: unknown): Build {
  if (typeof shape === "string") {
    const group = markerGroup(shape);
    return group >= 0 ? (values) => values[group] : () => shape;
  }
  if (Array.isArray(shape)) {
    const items = shape.map(compileDelta);
    if (items.length === 1) {
      const [item] = items;
      return (values) => [item(values)];
    }
    return (values) => items.map((item) => item(values));
  }
  if (shape === null || typeof shape !== "object") return () => shape;
  const record = shape as Record<string, unknown>;
  const keys = Object.keys(record);
  // The deltas nearly every event makes, built without a loop.
  if (keys.length === 1 && typeof record[keys[0]] === "string") {
    const part = compileDelta(record[keys[0]]);
    if (keys[0] === "content") return (values) => ({ content: part(values) });
    if (keys[0] === "reasoning") {
      return (values) => ({ reasoning: part(values) });
    }
  }
  // Any other object: a copy of one with every key in place (its numbers,
  // booleans and constant strings set), then the rest filled in. A copy
  // made by spreading takes the base's shape at once, where adding the keys
  // one by one went through a generic keyed store per key.
  const base: Record<string, unknown> = {};
  const filled: string[] = [];
  const parts: Build[] = [];
  for (const key of keys) {
    const value = record[key];
    const constant = value === null ||
      (typeof value !== "object" &&
        (typeof value !== "string" || markerGroup(value) < 0));
    base[key] = constant ? value : undefined;
    if (!constant) {
      filled.push(key);
      parts.push(compileDelta(value));
    }
  }
  if (filled.length === 0) return () => ({ ...base });
  if (filled.length === 1) {
    const [key] = filled;
    const [part] = parts;
    return (values) => {
      const out = { ...base };
      out[key] = part(values);
      return out;
    };
  }
  return (values) => {
    const out = { ...base };
    for (let i = 0; i < filled.length; i++) out[filled[i]] = parts[i](values);
    return out;
  };
}

/** @returns The group whose marker `text` is, or -1. */
function markerGroup(text: string): number {
  const group = text.startsWith(MARKER)
    ? Number(text.slice(MARKER.length))
    : NaN;
  return Number.isInteger(group) ? group : -1;
}
