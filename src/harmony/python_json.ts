/**
 * JSON as Jinja's `tojson` writes it in the chat templates' hosts (Python's
 * `json.dumps(value, ensure_ascii=False)`): `", "` between items and `": "`
 * after keys, non-ASCII kept as is.
 *
 * @module
 */

/**
 * @param value Any JSON value.
 * @returns Its text, spaced as Python writes it.
 */
export function pythonJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    // Strings, numbers and booleans: the same text as JSON.stringify, which
    // also escapes control characters as \uXXXX the way Python does, except
    // for the short forms both share (\n, \t, \", \\).
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    return `[${value.map(pythonJson).join(", ")}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`);
  return `{${entries.join(", ")}}`;
}
