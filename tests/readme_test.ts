/**
 * The README's option lists against the option types, so that they cannot
 * drift again; and its links to the docs pages.
 */

import assert from "node:assert/strict";
import { CONFIG_KEYS, REQUEST_KEYS } from "../src/options/options.ts";

const readme = await Deno.readTextFile(
  new URL("../README.md", import.meta.url),
);
const section = readme.slice(
  readme.indexOf("## Configuration"),
  readme.indexOf("\n## ", readme.indexOf("## Configuration") + 3),
);

Deno.test("the README's configuration table lists every configuration field, and no other", () => {
  const rows = [...section.matchAll(/^\| `(\w+)` +\|/gm)].map((m) => m[1]);
  assert.deepEqual([...rows].sort(), Object.keys(CONFIG_KEYS).sort());
  assert.equal(new Set(rows).size, rows.length, "each once");
});

Deno.test("the README's per-call list names every request option, and no other", () => {
  const sentence = section.slice(section.indexOf("Per call"));
  const listed = [
    ...sentence.slice(0, sentence.indexOf(".")).matchAll(/`(\w+)`/g),
  ]
    .map((m) => m[1])
    .filter((name) => !["generateResponse", "streamResponse"].includes(name));
  assert.deepEqual([...listed].sort(), Object.keys(REQUEST_KEYS).sort());
});

Deno.test("the README's links to files of the repository lead somewhere", async () => {
  const links = [
    ...readme.matchAll(/\]\(((?:docs|examples)\/[^)#]+|CHANGELOG\.md)\)/g),
  ]
    .map((m) => m[1]);
  assert.ok(links.length >= 6, `${links.length} links`);
  for (const link of links) {
    await Deno.stat(new URL(`../${link}`, import.meta.url));
  }
});
