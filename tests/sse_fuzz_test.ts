/**
 * Fuzzing the WHATWG event-stream parser with fast-check against a reference
 * written straight from the spec, on the whole text at once, while the parser
 * gets the text in random pieces.
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { SseParser } from "../src/stream/sse.ts";
import { splitAt } from "./_helpers.ts";

type Event = [data: string, event: string, id: string];

/** https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation */
function reference(text: string): Event[] {
  const events: Event[] = [];
  let data = "";
  let hasData = false;
  let type = "";
  let id = "";
  const body = text.startsWith("\ufeff") ? text.slice(1) : text;
  const lines = body.split(/\r\n|\r|\n/);
  lines.pop(); // the part after the last line end is not a line
  for (const line of lines) {
    if (line === "") {
      if (hasData) events.push([data, type, id]);
      data = "";
      hasData = false;
      type = "";
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
    } else if (field === "event") type = value;
    else if (field === "id" && !value.includes("\0")) id = value;
  }
  return events;
}

function parse(pieces: string[]): Event[] {
  const events: Event[] = [];
  const parser = new SseParser((data, event, id) =>
    events.push([data, event, id])
  );
  for (const piece of pieces) parser.feed(piece);
  parser.end();
  return events;
}

const token = fc.constantFrom(
  "data",
  "data:",
  "data: ",
  "event:",
  "event: error",
  "id: 7",
  "id:\0x",
  ":comment",
  "retry: 10",
  "x",
  " ",
  "\n",
  "\r",
  "\r\n",
  "\n\n",
  "\ufeff",
  "\u00e9",
  "\u{1F600}",
  "[DONE]",
  "{}",
);
const text = fc.array(token, { maxLength: 60 }).map((t) => t.join(""));
const cuts = fc.array(fc.nat(), { maxLength: 20 });

Deno.test("SseParser matches the spec's reference on random streams in random pieces (3,000 cases)", () => {
  fc.assert(
    fc.property(text, cuts, (s, at) => {
      assert.deepEqual(parse(splitAt(s, at)), reference(s));
    }),
    { numRuns: 3000, seed: 31 },
  );
});
