/**
 * The source tree is the architecture: each folder of `src/` is a layer, and
 * a file imports only from its own layer or the ones below it. The layer of a
 * file comes from its folder, so a file added to a folder is checked without
 * being listed here. What is specific to one wire API stays behind its
 * adapter: `src/api/<name>/` imports no other adapter, and only the registry
 * `src/api/mod.ts` reaches an adapter, through its `mod.ts`.
 */

import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");

/** Bottom to top. A path ending in "/" is a folder (and all below it). */
const LAYERS: readonly [name: string, paths: readonly string[]][] = [
  ["ground", [
    "src/types.ts",
    "src/logger.ts",
    "src/redact.ts",
    "src/version.ts",
    "src/checks.ts",
    "src/errors/",
  ]],
  ["wire", ["src/wire/"]],
  ["http", ["src/http/"]],
  ["harmony", ["src/harmony/"]],
  ["context", ["src/context/"]],
  ["stream", ["src/stream/"]],
  ["api", ["src/api/"]],
  ["server", ["src/server/"]],
  ["options", ["src/options/"]],
  ["client", ["src/client/"]],
  ["helpers", ["src/helpers/"]],
  ["entry", ["mod.ts"]],
  ["tokenizer", ["tokenizer/"]],
  ["testing", ["testing/"]],
  ["cli", ["cli.ts", "cli/"]],
];

/** The files whose imports are checked: the package, as it is published. */
const CHECKED = ["mod.ts", "cli.ts", "src/", "cli/", "testing/", "tokenizer/"];

export function layerOf(path: string): number {
  const index = LAYERS.findIndex(([, paths]) =>
    paths.some((p) => p.endsWith("/") ? path.startsWith(p) : path === p)
  );
  return index;
}

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(join(ROOT, dir))) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory) walk(path);
      else if (path.endsWith(".ts")) files.push(path);
    }
  };
  for (const start of CHECKED) {
    if (start.endsWith("/")) walk(start.slice(0, -1));
    else files.push(start);
  }
  return files.sort();
}

/** Every relative module specifier in a file: static, re-export and dynamic imports. */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const pattern =
    /(?:^|[;\s])(?:import|export)\s[^"';]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)|^import\s*["'](\.{1,2}\/[^"']+)["']/gm;
  for (const match of text.matchAll(pattern)) {
    found.push(match[1] ?? match[2] ?? match[3]);
  }
  return found;
}

/** `src/api/<name>/…` → `<name>`; anything else → undefined. */
function adapterOf(path: string): string | undefined {
  return /^src\/api\/([^/]+)\//.exec(path)?.[1];
}

interface Edge {
  from: string;
  to: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles()) {
    const text = Deno.readTextFileSync(join(ROOT, file));
    for (const specifier of importsOf(text)) {
      const to = relative(ROOT, resolve(ROOT, dirname(file), specifier));
      out.push({ from: file, to });
    }
  }
  return out;
}

Deno.test("every file of the package belongs to a layer", () => {
  const unplaced = sourceFiles().filter((file) => layerOf(file) < 0);
  assert.deepEqual(unplaced, []);
});

Deno.test("no import runs upward: a file imports only from its own layer or below", () => {
  const upward = edges()
    .filter(({ from, to }) => layerOf(to) > layerOf(from))
    .map(({ from, to }) =>
      `${from} (${LAYERS[layerOf(from)][0]}) imports ${to} (${
        LAYERS[layerOf(to)]?.[0] ?? "no layer"
      })`
    );
  assert.deepEqual(upward, []);
});

Deno.test("each wire API stays behind its adapter: no adapter imports another, nothing above reaches inside one", () => {
  const crossing = edges().filter(({ from, to }) => {
    const target = adapterOf(to);
    if (target === undefined) return false;
    const source = adapterOf(from);
    if (source !== undefined) return source !== target;
    // Only the registry of wire APIs (src/api/mod.ts) sees an adapter, through its entry.
    return !(from === "src/api/mod.ts" && to === `src/api/${target}/mod.ts`);
  }).map(({ from, to }) => `${from} imports ${to}`);
  assert.deepEqual(crossing, []);
});

Deno.test("the command line uses only the public entry points", () => {
  const inside = edges().filter(({ from, to }) =>
    layerOf(from) === layerOf("cli.ts") &&
    !["mod.ts", "tokenizer/mod.ts", "testing/mod.ts"].includes(to) &&
    layerOf(to) !== layerOf("cli.ts")
  ).map(({ from, to }) => `${from} imports ${to}`);
  assert.deepEqual(inside, []);
});

Deno.test("the import scanner finds static, re-exported, type-only and dynamic imports", () => {
  const text = [
    'import { a } from "./a.ts";',
    'import type { B } from "../b.ts";',
    'export { c } from "./c/mod.ts";',
    "export type {",
    "  D,",
    '} from "./d.ts";',
    'const e = await import("./e.ts");',
    'import "./f.ts";',
    'import x from "npm:x";',
    '// "from "./not_an_import.ts" in a comment is not matched: no import before it',
  ].join("\n");
  assert.deepEqual(importsOf(text), [
    "./a.ts",
    "../b.ts",
    "./c/mod.ts",
    "./d.ts",
    "./e.ts",
    "./f.ts",
  ]);
});

Deno.test("docs/architecture.md names every layer folder of src/, and no other, in order", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "docs/architecture.md"));
  const section = readme.slice(readme.indexOf("## Layers"));
  const tree = section.slice(
    section.indexOf("```"),
    section.indexOf("```", section.indexOf("```") + 3),
  );
  const named = new Set(
    [...tree.matchAll(/^src\/([a-z_]+)\//gm)].map((m) => m[1]),
  );
  const folders = new Set(
    [...Deno.readDirSync(join(ROOT, "src"))]
      .filter((e) => e.isDirectory && e.name !== "errors")
      .map((e) => e.name),
  );
  assert.deepEqual([...named].sort(), [...folders].sort());
  // Every layer of the table is in the tree, in the same order.
  const order = LAYERS.slice(1, 11).map(([, paths]) => paths[0]);
  const positions = order.map((path) => tree.indexOf(path));
  assert.ok(positions.every((at) => at >= 0), `${order} in the docs`);
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
});
