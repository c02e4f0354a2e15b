/**
 * A mutation run over the core: each mutant is a one-line change of
 * behaviour in src/ or cli/ (a wrong default, a flipped condition, a check
 * left out), and the whole test suite runs against each, in a scratch copy
 * of the repository. A mutant the suite does not fail is behaviour nothing
 * tests. Not part of CI: it takes a while (the suite stops at its first
 * failure, so caught mutants are quick).
 *
 *   deno run --allow-read --allow-write --allow-run --allow-env bench/mutation/run.ts [filter]
 *
 * @module
 */

import { MUTANTS } from "./mutants.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const filter = Deno.args[0];

async function run(
  cmd: string[],
  cwd: string,
): Promise<{ code: number; out: string }> {
  const output = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    out: decoder.decode(output.stdout) + decoder.decode(output.stderr),
  };
}

// A scratch copy of the tracked files, so that the working tree is never touched.
const scratch = await Deno.makeTempDir({ prefix: "gptoss-mutants-" });
const files = (await run(["git", "ls-files"], ROOT)).out.trim().split("\n");
for (const file of files) {
  await Deno.mkdir(`${scratch}/${file.slice(0, file.lastIndexOf("/") + 1)}`, {
    recursive: true,
  });
  await Deno.copyFile(`${ROOT}${file}`, `${scratch}/${file}`);
}
const TEST = [
  Deno.execPath(),
  "test",
  "--no-check",
  "--fail-fast",
  "--allow-net=127.0.0.1,localhost",
  "--allow-read",
  "--allow-run",
  "--allow-env",
  "--allow-write",
  "src/",
  "testing/",
  "tokenizer/",
  "tests/",
];

const baseline = await run(TEST, scratch);
if (baseline.code !== 0) {
  console.error(
    "The suite fails without any mutant:\n",
    baseline.out.slice(-3000),
  );
  Deno.exit(1);
}

const results: {
  name: string;
  caught: boolean;
  seconds: number;
  by?: string;
}[] = [];
for (const mutant of MUTANTS) {
  if (filter && !mutant.name.includes(filter)) continue;
  const path = `${scratch}/${mutant.file}`;
  const original = await Deno.readTextFile(path);
  if (!original.includes(mutant.from)) {
    console.error(
      `${mutant.name}: its line is not in ${mutant.file}; update the mutant`,
    );
    Deno.exit(1);
  }
  await Deno.writeTextFile(path, original.replace(mutant.from, mutant.to));
  const started = performance.now();
  const result = await run(TEST, scratch);
  await Deno.writeTextFile(path, original);
  if (/^error: SyntaxError/m.test(result.out)) {
    // A mutant that does not parse tests nothing: its line needs another change.
    console.error(`${mutant.name}: the mutant does not parse; change its "to"`);
    Deno.exit(1);
  }
  const by = /^(.+?) => \.\/tests\//m.exec(result.out)?.[1];
  const entry = {
    name: mutant.name,
    caught: result.code !== 0,
    seconds: Math.round((performance.now() - started) / 1000),
    ...(by ? { by } : {}),
  };
  results.push(entry);
  console.log(
    `${
      entry.caught ? "caught  " : "SURVIVED"
    } ${entry.seconds}s ${mutant.name}${by ? ` (by: ${by.slice(0, 90)})` : ""}`,
  );
}

const caught = results.filter((r) => r.caught).length;
console.log(
  `\n${caught} of ${results.length} mutants caught (${
    (100 * caught / results.length).toFixed(1)
  }%)`,
);
for (const r of results.filter((r) => !r.caught)) {
  console.log(`  survived: ${r.name}`);
}
await Deno.remove(scratch, { recursive: true });
