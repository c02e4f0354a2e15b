/**
 * The size of the core as a browser or an edge function loads it: `mod.ts`
 * bundled to one file and minified by `deno bundle`, then gzipped; and the
 * exact tokenizer's export beside it, which the core never imports.
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

async function measure(entry: string): Promise<[number, number]> {
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
      cwd: root,
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
    const bytes = await Deno.readFile(out);
    return [bytes.length, await gzipped(bytes)];
  } finally {
    await Deno.remove(out);
  }
}

console.log("| Export | Minified | Minified and gzipped |");
console.log("| --- | ---: | ---: |");
for (const entry of ["mod.ts", "tokenizer/mod.ts"]) {
  const [minified, gzip] = await measure(entry);
  console.log(
    `| \`${entry}\` | ${(minified / 1024).toFixed(1)} KiB | ${
      (gzip / 1024).toFixed(1)
    } KiB |`,
  );
}
