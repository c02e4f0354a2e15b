import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { Template } from "npm:@huggingface/jinja@^0.5.11";
import { renderHarmonyPrompt, type ToolDefinition } from "../mod.ts";
import {
  loadRenderings,
  loadTemplate,
  type RenderingCase,
  toChatMessage,
  toOptions,
} from "./_harmony_cases.ts";

const renderings = await loadRenderings("renderings.json");
const published = await loadRenderings("published.json");

function ours(c: RenderingCase): string {
  return renderHarmonyPrompt(c.messages.map(toChatMessage), toOptions(c));
}

Deno.test("renderHarmonyPrompt() matches the real template, rendered by jinja2 as transformers does", () => {
  assert.ok(renderings.length >= 8);
  for (const c of renderings) assert.equal(ours(c), c.expected, c.name);
});

Deno.test("renderHarmonyPrompt() matches the template rendering published in TRL's tests", () => {
  const cases = published.filter((c) =>
    c.renderer?.startsWith("chat template") && c.add_generation_prompt
  );
  assert.ok(cases.length >= 1);
  for (const c of cases) assert.equal(ours(c), c.expected, c.name);
});

Deno.test("renderHarmonyPrompt() differs from OpenAI's harmony renderer only by the template's comma after a default", () => {
  // The template writes `// default: celsius,`; the harmony library (vLLM)
  // writes `// default: celsius`. One token per defaulted parameter.
  const guide = published.find((c) => c.renderer === "openai-harmony library")!;
  const rendered = ours(guide);
  assert.notEqual(rendered, guide.expected);
  assert.equal(
    rendered.replaceAll("// default: celsius,\n", "// default: celsius\n"),
    guide.expected,
  );
});

Deno.test("renderHarmonyPrompt() renders every tool call and later system messages, counting on the safe side", () => {
  const prompt = renderHarmonyPrompt([
    { role: "user", content: "Both?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "a",
          type: "function",
          function: { name: "one", arguments: '{"x":1}' },
        },
        {
          id: "b",
          type: "function",
          function: { name: "two", arguments: "not json" },
        },
      ],
    },
    { role: "tool", tool_call_id: "b", content: "ok" },
    { role: "system", content: "Late rule." },
  ], { currentDate: "2025-08-05" });
  assert.ok(
    prompt.includes(
      'to=functions.one<|channel|>commentary json<|message|>{"x": 1}<|call|>',
    ),
  );
  assert.ok(
    prompt.includes(
      'to=functions.two<|channel|>commentary json<|message|>"not json"<|call|>',
    ),
  );
  assert.ok(prompt.includes("<|start|>functions.two to=assistant"));
  assert.ok(
    prompt.includes(
      "<|start|>developer<|message|># Instructions\n\nLate rule.\n\n<|end|>",
    ),
  );
});

// Property: for any conversation in the shapes the template handles, the real
// template (run by @huggingface/jinja, which renders the fixtures above
// exactly as jinja2 does) and renderHarmonyPrompt() agree byte for byte.
const text = fc.string({
  unit: fc.constantFrom(
    ..."ab Z9_\n\t\"'\\{}<>|\u00e9\u4e2d\u{1F389}".split(/(?:)/u),
  ),
  maxLength: 30,
});
const schema = fc.oneof(
  fc.record({ type: fc.constant("string"), description: text }),
  fc.record({
    type: fc.constant("string"),
    enum: fc.array(text, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ type: fc.constantFrom("number", "integer", "boolean") }),
  fc.record({
    type: fc.constant("array"),
    items: fc.record({ type: fc.constantFrom("string", "number", "boolean") }),
  }),
  fc.record({
    type: fc.constant("object"),
    properties: fc.dictionary(
      fc.stringMatching(/^[a-z]{1,6}$/),
      fc.record({ type: fc.constant("string") }),
      { maxKeys: 3 },
    ),
  }),
);
const tool = fc.record({
  name: fc.stringMatching(/^[a-z_]{1,12}$/),
  description: text,
  properties: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), schema, {
    maxKeys: 4,
  }),
  requiredFirst: fc.boolean(),
}).map(({ name, description, properties, requiredFirst }): ToolDefinition => ({
  type: "function",
  function: {
    name,
    description,
    parameters: {
      type: "object",
      properties,
      required: requiredFirst ? Object.keys(properties).slice(0, 1) : [],
    },
  },
}));
const args = fc.dictionary(
  fc.stringMatching(/^[a-z]{1,6}$/),
  fc.oneof(
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
  ),
  { maxKeys: 3 },
);
const turn = fc.oneof(
  fc.record({
    kind: fc.constant("chat"),
    question: text,
    answer: text,
    thinking: fc.option(text),
  }),
  fc.record({
    kind: fc.constant("tool"),
    question: text,
    name: fc.stringMatching(/^[a-z_]{1,12}$/),
    args,
    analysis: fc.option(text),
    inContent: fc.boolean(),
    result: text,
    answer: fc.option(text),
  }),
);
const conversation = fc.record({
  system: fc.option(text),
  developer: fc.boolean(),
  turns: fc.array(turn, { minLength: 1, maxLength: 5 }),
  last: text,
  // Tool names are unique: the client refuses two tools of one name.
  tools: fc.uniqueArray(tool, {
    maxLength: 3,
    selector: (t) => t.function.name,
  }),
  effort: fc.constantFrom(undefined, "low", "medium", "high"),
});

Deno.test("renderHarmonyPrompt() agrees with the real template on random conversations", async () => {
  const source = (await loadTemplate()).replace(
    'strftime_now("%Y-%m-%d")',
    "current_date",
  );
  const template = new Template(source);
  fc.assert(
    fc.property(conversation, (c) => {
      const messages: Record<string, unknown>[] = [];
      if (c.system !== null) {
        messages.push({
          role: c.developer ? "developer" : "system",
          content: c.system,
        });
      }
      for (const t of c.turns) {
        messages.push({ role: "user", content: t.question });
        if (t.kind === "chat") {
          messages.push({
            role: "assistant",
            content: t.answer,
            ...(t.thinking === null ? {} : { thinking: t.thinking }),
          });
          continue;
        }
        const call = {
          id: "c",
          type: "function",
          function: { name: t.name, arguments: t.args },
        };
        const analysis = t.analysis ?? "";
        messages.push({
          role: "assistant",
          tool_calls: [call],
          ...(t.inContent
            ? { content: analysis }
            : { content: "", thinking: analysis }),
        });
        messages.push({ role: "tool", tool_call_id: "c", content: t.result });
        if (t.answer !== null) {
          messages.push({ role: "assistant", content: t.answer });
        }
      }
      messages.push({ role: "user", content: c.last });
      const tools = c.tools.length ? c.tools : undefined;
      const expected = template.render({
        messages,
        tools,
        add_generation_prompt: true,
        current_date: "2025-08-05",
        ...(c.effort ? { reasoning_effort: c.effort } : {}),
      });
      const rendered = renderHarmonyPrompt(messages.map(toChatMessage), {
        currentDate: "2025-08-05",
        ...(tools ? { tools } : {}),
        ...(c.effort ? { reasoningEffort: c.effort } : {}),
      });
      assert.equal(rendered, expected);
    }),
    { numRuns: 300, seed: 20261125 },
  );
});
