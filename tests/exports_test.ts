/**
 * The package's entry points, as `deno.json` exports them: each documented
 * well enough for JSR (module docs, a description and a titled `@example` on
 * every public symbol), and the core free of dependencies.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

interface DocTag {
  kind: string;
  doc?: string;
}

interface DocNode {
  module_doc?: { doc?: string; tags?: DocTag[] };
  symbols?: {
    name: string;
    declarations: { jsDoc?: { doc?: string; tags?: DocTag[] } }[];
  }[];
}

async function denoJson(
  ...args: string[]
): Promise<unknown> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

const config = JSON.parse(
  await Deno.readTextFile(new URL("deno.json", ROOT)),
) as { exports: Record<string, string> };

/** The titles of the examples that `deno test --doc` runs (no `ignore` fence). */
function titledExamples(tags: DocTag[] = []): string[] {
  return tags
    .filter((tag) => tag.kind === "example")
    .map((tag) => (tag.doc ?? "").split("\n"))
    .filter((lines) => !lines.some((line) => /^```\w*\s+ignore/.test(line)))
    .map((lines) => lines[0].trim())
    .filter((title) => title !== "" && !title.startsWith("```"));
}

Deno.test("the exports map gives the core, the CLI, the test kit and the tokenizer their own entry points", () => {
  assert.deepEqual(Object.keys(config.exports).sort(), [
    ".",
    "./cli",
    "./testing",
    "./tokenizer",
  ]);
});

Deno.test("every entry point has module docs with a titled example, and every public symbol a description and a titled example", async () => {
  const entries = Object.values(config.exports);
  const doc = await denoJson("doc", "--json", ...entries) as {
    nodes: Record<string, DocNode>;
  };
  const missing: string[] = [];
  for (const [file, node] of Object.entries(doc.nodes)) {
    const where = file.slice(ROOT.href.length);
    if (!node.module_doc?.doc?.trim()) missing.push(`${where}: module doc`);
    if (titledExamples(node.module_doc?.tags).length === 0) {
      missing.push(`${where}: module example`);
    }
    for (const symbol of node.symbols ?? []) {
      for (const { jsDoc } of symbol.declarations) {
        if (!jsDoc?.doc?.trim()) missing.push(`${symbol.name}: description`);
        if (titledExamples(jsDoc?.tags).length === 0) {
          missing.push(`${symbol.name}: titled @example`);
        }
      }
    }
  }
  assert.ok(Object.keys(doc.nodes).length === entries.length);
  assert.deepEqual(missing, []);
});

Deno.test("the core entry point imports nothing outside the package: no npm, jsr or remote module", async () => {
  const info = await denoJson("info", "--json", "mod.ts") as {
    modules: { specifier: string }[];
  };
  const outside = info.modules
    .map((module) => module.specifier)
    .filter((specifier) => !specifier.startsWith(ROOT.href));
  assert.ok(info.modules.length > 20);
  assert.deepEqual(outside, []);
});
