/**
 * Every value of a JSON text with where it sits and the path that leads to
 * it, read without parsing the text: what an event template
 * (stream/event_template.ts) cuts its holes from.
 *
 * @module
 */

import { decodeStringBody, numberEnd, stringEnd } from "./json_text.ts";

/** A value of an event's text: where it is, what it is, and its path. */
export interface EventValue {
  start: number;
  end: number;
  kind: "string" | "number";
  /** The keys and indexes that lead to it, joined by dots: `choices.0.delta.content`. */
  path: string;
}

/**
 * Every string value and number of a JSON text (keys are not values), with
 * its path (`choices.0.delta.content`); `undefined` for text this reader
 * does not follow.
 */
export function scanValues(text: string): EventValue[] | undefined {
  const out: EventValue[] = [];
  // Each open container: its path, and the key or index being filled.
  const stack: { path: string; array: boolean; key: string; index: number }[] =
    [];
  let expectKey = false;
  const pathHere = () => {
    const top = stack[stack.length - 1];
    if (!top) return "";
    const part = top.array ? String(top.index) : top.key;
    return top.path ? `${top.path}.${part}` : part;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x7b || c === 0x5b) { // { [
      stack.push({
        path: pathHere(),
        array: c === 0x5b,
        key: "",
        index: 0,
      });
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) { // } ]
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) { // ,
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else expectKey = true;
    } else if (c === 0x3a) { // :
      expectKey = false;
    } else if (c === 0x22) { // "
      const end = stringEnd(text, i + 1);
      if (end === -1) return undefined;
      if (expectKey) {
        const key = decodeStringBody(text, i + 1, end);
        if (key === undefined) return undefined;
        stack[stack.length - 1].key = key;
      } else {
        out.push({ start: i, end: end + 1, kind: "string", path: pathHere() });
      }
      i = end;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) { // - 0-9
      const end = numberEnd(text, i);
      out.push({ start: i, end, kind: "number", path: pathHere() });
      i = end - 1;
    } else if (c === 0x74 || c === 0x6e) i += 3; // true, null
    else if (c === 0x66) i += 4; // false
    else return undefined;
  }
  return out;
}
