import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { HarmonySplitter } from "../src/harmony/splitter.ts";
import { referenceFolder } from "./_vllm_reference.ts";

// The client's harmony splitter against OpenAI's own parser: for generated
// gpt-oss completions (reasoning, then an answer or tool calls, some cut
// short), streamed token by token as a server sends them, the splitter finds
// the reasoning, the answer and the calls that openai-harmony's
// StreamableParser finds (tests/reference/harmony_parse.py; openai-harmony
// 0.0.8 from PyPI, set up by .ci/reference).

interface Parsed {
  pieces: string[];
  messages: {
    channel: string | null;
    recipient: string | null;
    text: string;
  }[];
}

async function parseWithHarmony(
  folder: string,
  completions: string[],
): Promise<(Parsed | { error: string })[]> {
  const child = new Deno.Command("python3", {
    args: [new URL("./reference/harmony_parse.py", import.meta.url).pathname],
    env: {
      PYTHONPATH: `${folder}/harmony-0.0.8`,
      TIKTOKEN_ENCODINGS_BASE: `${folder}/tiktoken`,
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(completions)));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

const word = fc.constantFrom(
  "the",
  " plan",
  " is",
  ",",
  ".",
  "\n",
  ' "q"',
  " x<y",
  " a|b",
  " 日本",
  " é",
  " 🎉",
  " {}",
  " 42",
  "  ",
  "Hello",
);
const text = fc.array(word, { minLength: 1, maxLength: 12 }).map((w) =>
  w.join("")
);
const name = fc.stringMatching(/^[a-z][a-z_]{0,10}$/);
const args = fc.dictionary(
  fc.stringMatching(/^[a-z]{1,6}$/),
  fc.oneof(fc.integer(), text),
  { maxKeys: 3 },
).map((o) => JSON.stringify(o));

/** A completion after `<|start|>assistant`: reasoning, then an answer or calls. */
const completion = fc.tuple(
  text,
  fc.oneof(
    text.map((t) =>
      `<|start|>assistant<|channel|>final<|message|>${t}<|return|>`
    ),
    fc.array(fc.tuple(name, args), { minLength: 1, maxLength: 2 }).map((
      calls,
    ) =>
      calls.map(([n, a]) =>
        `<|start|>assistant<|channel|>commentary to=functions.${n} <|constrain|>json<|message|>${a}<|call|>`
      ).join("")
    ),
  ),
).map(([analysis, rest]) =>
  `<|channel|>analysis<|message|>${analysis}<|end|>${rest}`
);

/** What the splitter finds in the pieces, fed one by one. */
function split(pieces: string[]) {
  const splitter = new HarmonySplitter();
  const out = [...pieces.flatMap((p) => splitter.feed(p)), ...splitter.end()];
  const calls = new Map<number, { name: string; arguments: string }>();
  let reasoning = "";
  let content = "";
  for (const piece of out) {
    if (piece.kind === "reasoning") reasoning += piece.text;
    else if (piece.kind === "content") content += piece.text;
    else {
      const call = calls.get(piece.index) ?? { name: "", arguments: "" };
      call.name += piece.name ?? "";
      call.arguments += piece.arguments ?? "";
      calls.set(piece.index, call);
    }
  }
  return { reasoning, content, calls: [...calls.values()] };
}

/** What the parser found, in the same terms. */
function expected(parsed: Parsed) {
  let reasoning = "";
  let content = "";
  const calls: { name: string; arguments: string }[] = [];
  for (const m of parsed.messages) {
    if (m.channel === "analysis") reasoning += m.text;
    else if (m.channel === "final") content += m.text;
    else if (m.recipient?.startsWith("functions.")) {
      calls.push({ name: m.recipient.slice(10), arguments: m.text });
    }
  }
  return { reasoning, content, calls };
}

const folder = referenceFolder();

Deno.test({
  name:
    "the harmony splitter finds what openai-harmony's StreamableParser finds, token by token (300 completions)",
  ignore: folder === undefined,
  fn: async () => {
    const cases = fc.sample(completion, { numRuns: 300, seed: 1717 });
    // Some are cut short, as a stream that ends early is.
    const cut = fc.sample(fc.double({ min: 0.3, max: 1, noNaN: true }), {
      numRuns: 300,
      seed: 1718,
    });
    // Cut where a stream of tokens can end: never inside a special token.
    const cutAt = (c: string, at: number) => {
      const open = c.lastIndexOf("<|", at);
      return open !== -1 && c.indexOf("|>", open) + 2 > at ? open : at;
    };
    const texts = cases.map((c, i) =>
      i % 3 === 0 ? c.slice(0, cutAt(c, Math.floor(c.length * cut[i]))) : c
    );
    const parsed = await parseWithHarmony(folder!, texts);
    let compared = 0;
    parsed.forEach((p, i) => {
      if ("error" in p) return; // a cut the parser refuses is not compared
      assert.deepEqual(split(p.pieces), expected(p), JSON.stringify(texts[i]));
      compared++;
    });
    assert.ok(compared >= 250, `only ${compared} completions compared`);
  },
});
