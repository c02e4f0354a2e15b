import assert from "node:assert/strict";
import { SseParser } from "../src/stream/sse.ts";

type Seen = [data: string, event: string, id: string];

function parse(...chunks: string[]): { events: Seen[]; cut: boolean } {
  const events: Seen[] = [];
  const parser = new SseParser((data, event, id) =>
    events.push([data, event, id])
  );
  for (const chunk of chunks) parser.feed(chunk);
  return { events, cut: parser.end() };
}

Deno.test("SseParser() dispatches an event at a blank line, with LF, CR and CRLF line ends", () => {
  for (const eol of ["\n", "\r", "\r\n"]) {
    const { events } = parse(`data: one${eol}${eol}data: two${eol}${eol}`);
    assert.deepEqual(
      events.map((e) => e[0]),
      ["one", "two"],
      JSON.stringify(eol),
    );
  }
});

Deno.test("SseParser() accepts line ends mixed in one stream", () => {
  const { events } = parse("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r");
  assert.deepEqual(events.map((e) => e[0]), ["a\nb\nc", "d"]);
});

Deno.test("SseParser() ignores comments: they are neither data nor other fields", () => {
  const others: string[] = [];
  const events: string[] = [];
  const parser = new SseParser(
    (data) => events.push(data),
    (field, value) => others.push(`${field}=${value}`),
  );
  parser.feed(": keep-alive\n:data: not data\n:event: x\ndata: real\n\n");
  parser.feed(":\nfoo: bar\ndata: two\n\n");
  parser.end();
  assert.deepEqual(events, ["real", "two"]);
  assert.deepEqual(others, ["foo=bar"]);
});

Deno.test("SseParser() joins several data lines with LF", () => {
  const { events } = parse("data: first\ndata: second\ndata:third\n\n");
  assert.deepEqual(events, [["first\nsecond\nthird", "", ""]]);
});

Deno.test("SseParser() removes exactly one space after the colon", () => {
  const { events } = parse("data:  two spaces\n\ndata:none\n\n");
  assert.deepEqual(events.map((e) => e[0]), [" two spaces", "none"]);
});

Deno.test("SseParser() ignores comment lines and unknown fields", () => {
  const { events } = parse(
    ": keep-alive\n:\nretry: 100\nfoo: bar\ndata: x\n: between\n\n",
  );
  assert.deepEqual(events.map((e) => e[0]), ["x"]);
});

Deno.test("SseParser() keeps the event type for one event and the last id for all", () => {
  const { events } = parse(
    "event: error\nid: 7\ndata: a\n\ndata: b\n\nid: bad\0id\ndata: c\n\n",
  );
  assert.deepEqual(events, [["a", "error", "7"], ["b", "", "7"], [
    "c",
    "",
    "7",
  ]]);
});

Deno.test("SseParser() dispatches an empty data field but not an event without data", () => {
  const { events } = parse("data\n\nevent: x\n\ndata:\n\n");
  assert.deepEqual(events, [["", "", ""], ["", "", ""]]);
});

Deno.test("SseParser() drops one leading BOM, and only at the very start", () => {
  const { events } = parse("\uFEFFdata: a\n\ndata: \uFEFFb\n\n");
  assert.deepEqual(events.map((e) => e[0]), ["a", "\uFEFFb"]);
  const late = parse("", "\uFEFFdata: c\n\n");
  assert.deepEqual(late.events.map((e) => e[0]), ["c"]);
});

Deno.test("SseParser() does not dispatch an event cut off by the end of the stream", () => {
  const { events, cut } = parse("data: whole\n\ndata: half");
  assert.deepEqual(events.map((e) => e[0]), ["whole"]);
  assert.equal(cut, true);
  assert.equal(parse("data: whole\n\n").cut, false);
});

Deno.test("SseParser() treats a CRLF split across two chunks as one line end", () => {
  const { events } = parse("data: a\r", "\n\r", "\ndata: b\r\n\r\n");
  assert.deepEqual(events.map((e) => e[0]), ["a", "b"]);
  // An empty chunk between CR and LF must not turn the LF into a second line end.
  const withEmpty = parse("data: a\r", "", "\ndata: b\r\n\r\n");
  assert.deepEqual(withEmpty.events.map((e) => e[0]), ["a\nb"]);
});

Deno.test("SseParser() gives the same events however a stream is split in two or three", () => {
  const stream =
    '\uFEFF: hi\r\nevent: delta\r\ndata: {"a":1}\r\n\r\ndata: x\rdata: y\r\r' +
    "id: 4\ndata: last\n\ndata: [DONE]\n\n";
  const expected = parse(stream).events;
  assert.equal(expected.length, 4);
  for (let i = 0; i <= stream.length; i++) {
    assert.deepEqual(
      parse(stream.slice(0, i), stream.slice(i)).events,
      expected,
      `split at ${i}`,
    );
    for (let j = i; j <= stream.length; j += 3) {
      const three =
        parse(stream.slice(0, i), stream.slice(i, j), stream.slice(j)).events;
      assert.deepEqual(three, expected, `split at ${i} and ${j}`);
    }
  }
});
