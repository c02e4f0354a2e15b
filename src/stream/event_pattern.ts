/**
 * Regular expression sources of JSON's grammar for an event template
 * (stream/event_template.ts): a whole event is its literal text with a
 * string's body or a number in each hole, read by the engine in one pass.
 *
 * @module
 */

/** What sits in a hole: a delta's string (captured), another string, a number. */
export type PatternHole = "delta" | "string" | "number";

/** A JSON string's body: plain characters, and the escapes JSON has. */
const STRING_BODY = String
  .raw`[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*`;
/** A number by JSON's grammar. */
const JSON_NUMBER = String
  .raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`;

/**
 * The source of a whole event's pattern: its literal text, and in each
 * hole a number or a string's body, the delta strings' captured in order.
 * A number hole is always followed by JSON's punctuation or space, so the
 * pattern's number ends where a reader of the longest number ends it
 * (stream/json_text.ts, `jsonNumberEnd`).
 *
 * @param literals The literal text around the holes: one more than there are holes.
 * @param holes What each hole holds.
 */
export function eventPattern(
  literals: readonly string[],
  holes: readonly PatternHole[],
): string {
  const literal = (text: string) =>
    text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  let source = "";
  for (let h = 0; h < holes.length; h++) {
    const hole = holes[h];
    source += literal(literals[h]) +
      (hole === "number"
        ? JSON_NUMBER
        : hole === "delta"
        ? `(${STRING_BODY})`
        : STRING_BODY);
  }
  return source + literal(literals[holes.length]);
}
