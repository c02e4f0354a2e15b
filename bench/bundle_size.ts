/**
 * The size of the core as a browser or an edge function loads it: `mod.ts`
 * bundled to one file and minified by `deno bundle`, then gzipped; the exact
 * tokenizer's export beside it, which the core never imports; what a
 * bundler keeps of the core for an app that imports the client alone; and
 * what the core would weigh were parts of it moved to exports of their own
 * (each measured on a copy of the sources with those parts cut out, for the
 * decision that the size target needs).
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-run --allow-env bench/bundle_size.ts
 * ```
 *
 * @module
 */

const root = new URL("..", import.meta.url).pathname;

async function gzipped(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function measure(entry: string, cwd = root): Promise<[number, number]> {
  const out = await Deno.makeTempFile({ suffix: ".js" });
  try {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--minify",
        "--platform",
        "browser",
        entry,
        "-o",
        out,
      ],
      cwd,
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
    const bytes = await Deno.readFile(out);
    return [bytes.length, await gzipped(bytes)];
  } finally {
    await Deno.remove(out);
  }
}

/**
 * One edit of a source file: `find` must occur in it exactly once; with
 * `toEnd`, the rest of the file from there is replaced.
 */
interface Cut {
  file: string;
  find: string;
  replace: string;
  toEnd?: boolean;
}

const WITHOUT_RESPONSES: Cut[] = [
  {
    file: "src/api/mod.ts",
    find: 'import { responsesApi } from "./responses/mod.ts";\n',
    replace: "",
  },
  {
    file: "src/api/mod.ts",
    find: "  responses: responsesApi,\n",
    replace: "  responses: chatCompletionsApi,\n",
  },
];
const WITHOUT_OLLAMA: Cut[] = [
  {
    file: "src/api/mod.ts",
    find: 'import { ollamaChatApi } from "./ollama/mod.ts";\n',
    replace: "",
  },
  {
    file: "src/api/mod.ts",
    find: "  ollama: ollamaChatApi,\n",
    replace: "  ollama: chatCompletionsApi,\n",
  },
];
// Everything mod.ts exports after this line is a helper.
const WITHOUT_HELPERS: Cut[] = [{
  file: "mod.ts",
  find: "// Built on the client.",
  replace: "",
  toEnd: true,
}];

/** `mod.ts` bundled from a copy of the sources with `cuts` made. */
async function measureWithout(cuts: Cut[]): Promise<[number, number]> {
  const copy = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${copy}/src`);
    for (const name of ["mod.ts", "deno.json"]) {
      await Deno.copyFile(`${root}${name}`, `${copy}/${name}`);
    }
    await copyTree(`${root}src`, `${copy}/src`);
    for (const { file, find, replace, toEnd } of cuts) {
      const text = await Deno.readTextFile(`${copy}/${file}`);
      const at = text.indexOf(find);
      if (at === -1 || text.indexOf(find, at + 1) !== -1) {
        throw new Error(`${file} no longer has ${JSON.stringify(find)} once`);
      }
      const end = toEnd ? text.length : at + find.length;
      await Deno.writeTextFile(
        `${copy}/${file}`,
        text.slice(0, at) + replace + text.slice(end),
      );
    }
    return await measure("mod.ts", copy);
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
}

async function copyTree(from: string, to: string): Promise<void> {
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) {
      await Deno.mkdir(`${to}/${entry.name}`);
      await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
    } else await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

const row = (name: string, [minified, gzip]: [number, number]) =>
  console.log(
    `| ${name} | ${(minified / 1024).toFixed(1)} KiB | ${
      (gzip / 1024).toFixed(1)
    } KiB |`,
  );

console.log("| Export | Minified | Minified and gzipped |");
console.log("| --- | ---: | ---: |");
for (const entry of ["mod.ts", "tokenizer/mod.ts"]) {
  row(`\`${entry}\``, await measure(entry));
}
// What a bundler keeps of the core for an app that uses the client alone.
const app = await Deno.makeTempFile({ suffix: ".ts" });
try {
  await Deno.writeTextFile(
    app,
    `export { GptOssClient } from ${JSON.stringify(`${root}mod.ts`)};\n`,
  );
  row("an app importing `GptOssClient` alone", await measure(app));
} finally {
  await Deno.remove(app);
}
console.log();
console.log("| `mod.ts` without | Minified | Minified and gzipped |");
console.log("| --- | ---: | ---: |");
row("the Responses API adapter", await measureWithout(WITHOUT_RESPONSES));
row(
  "both adapters (Responses, Ollama's native API)",
  await measureWithout([...WITHOUT_RESPONSES, ...WITHOUT_OLLAMA]),
);
row(
  "both adapters and the helpers (tool loops, `generateObject`, `defineTool`, `parseToolCalls`)",
  await measureWithout([
    ...WITHOUT_RESPONSES,
    ...WITHOUT_OLLAMA,
    ...WITHOUT_HELPERS,
  ]),
);
