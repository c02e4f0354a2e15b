/**
 * Reading JSON values where they sit in an event's text, without parsing
 * the event: where a string or a number ends, and what a string stands
 * for. Each answers as `JSON.parse` would for the same text, or gives up
 * (`-1`, `undefined`) and lets the caller parse the usual way.
 *
 * @module
 */

/** @returns Where the string whose body starts at `from` closes (its quote), or -1. */
export function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c) i++;
  }
  return -1;
}

/** @returns Where the number that starts at `from` ends. */
export function numberEnd(text: string, from: number): number {
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // - + . 0-9 e E
    if (
      !(c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x30 && c <= 0x39) ||
        c === 0x65 || c === 0x45)
    ) break;
  }
  return i;
}

/**
 * @returns Where the JSON number that starts at `from` ends, or -1 when no
 * number by JSON's grammar starts there (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`).
 */
export function jsonNumberEnd(text: string, from: number): number {
  let i = from;
  let c = text.charCodeAt(i);
  if (c === 0x2d) c = text.charCodeAt(++i); // -
  if (c === 0x30) c = text.charCodeAt(++i); // a leading 0 stands alone
  else if (c >= 0x31 && c <= 0x39) {
    do c = text.charCodeAt(++i); while (c >= 0x30 && c <= 0x39);
  } else return -1;
  if (c === 0x2e) { // .
    c = text.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    do c = text.charCodeAt(++i); while (c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45) { // e E
    c = text.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) c = text.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    do c = text.charCodeAt(++i); while (c >= 0x30 && c <= 0x39);
  }
  // What follows must not continue the number (`01`, `1.`, `1e`, `1x`…
  // are caught here or by the literal after the hole).
  return i;
}

/**
 * @returns Where the string whose body starts at `from` closes, when nothing
 * in it needs decoding; -1 when it has an escape or a control character, or
 * does not close.
 */
export function plainStringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
    if (c < 0x20 || c === 0x5c) return -1;
  }
  return -1;
}

/** Characters a JSON string holds as they are, from `lastIndex` on. */
// deno-lint-ignore no-control-regex -- JSON forbids U+0000–U+001F raw in a string: they end the plain run.
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;

/** {@link plainStringEnd}, the same answer, for longer strings. */
export function plainStringEndLong(text: string, from: number): number {
  PLAIN_RUN.lastIndex = from;
  PLAIN_RUN.test(text);
  const end = PLAIN_RUN.lastIndex;
  return text.charCodeAt(end) === 0x22 ? end : -1;
}

/** @returns What a one-character escape stands for, by the character after `\\`. */
function escaped(c: number): string | undefined {
  switch (c) {
    case 0x22:
      return '"';
    case 0x5c:
      return "\\";
    case 0x2f:
      return "/";
    case 0x62:
      return "\b";
    case 0x66:
      return "\f";
    case 0x6e:
      return "\n";
    case 0x72:
      return "\r";
    case 0x74:
      return "\t";
  }
  return undefined;
}

/** @returns The value of a hexadecimal digit, or -1. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/**
 * @param text The text.
 * @param from Where the string's body starts (after its opening quote).
 * @param end Where its closing quote is.
 * @returns The string that body stands for, as `JSON.parse` reads it, or
 * `undefined` when it is not a JSON string's body (a raw control
 * character or quote, an escape JSON does not have or one cut by `end`).
 */
export function decodeStringBody(
  text: string,
  from: number,
  end: number,
): string | undefined {
  let out = "";
  let run = from;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22) return undefined;
    if (c !== 0x5c) continue;
    if (i > run) out += text.slice(run, i);
    if (++i >= end) return undefined;
    const e = text.charCodeAt(i);
    if (e === 0x75) { // \uXXXX, a lone surrogate included, as JSON.parse reads it
      if (i + 4 >= end) return undefined;
      const unit = (hexDigit(text.charCodeAt(i + 1)) << 12) |
        (hexDigit(text.charCodeAt(i + 2)) << 8) |
        (hexDigit(text.charCodeAt(i + 3)) << 4) |
        hexDigit(text.charCodeAt(i + 4));
      // A digit's -1 makes the whole negative.
      if (unit < 0) return undefined;
      out += String.fromCharCode(unit);
      i += 4;
    } else {
      const s = escaped(e);
      if (s === undefined) return undefined;
      out += s;
    }
    run = i + 1;
  }
  return run === from ? text.slice(from, end) : out + text.slice(run, end);
}
