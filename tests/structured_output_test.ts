import assert from "node:assert/strict";
import { generateObject, GptOssClient, StructuredOutputError } from "../mod.ts";
import { parseJsonAnswer } from "../src/helpers/structured_output.ts";
import { chatCompletionBody, startMockServer } from "../testing/mod.ts";

const schema = {
  type: "object",
  properties: { name: { type: "string" }, population: { type: "integer" } },
  required: ["name", "population"],
};

Deno.test("generateObject() sends a json_schema response format and returns the parsed object", async () => {
  await using server = await startMockServer();
  server.enqueue({
    json: chatCompletionBody({
      reasoning: "Oslo.",
      content: '{"name":"Oslo","population":717710}',
    }),
  });
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  const { object, completion } = await generateObject<
    { name: string; population: number }
  >(
    client,
    [{ role: "user", content: "Capital of Norway?" }],
    { schema, name: "city", temperature: 0 },
  );
  assert.deepEqual(object, { name: "Oslo", population: 717710 });
  assert.equal(completion.choices[0].message.reasoning, "Oslo.");
  const body = server.requests[0].body as Record<string, unknown>;
  assert.deepEqual(body.response_format, {
    type: "json_schema",
    json_schema: { name: "city", schema, strict: true },
  });
  assert.equal(body.temperature, 0);
});

Deno.test("generateObject() keeps the raw answer when it is not JSON or fails validation", async () => {
  await using server = await startMockServer();
  const client = new GptOssClient({ baseUrl: server.url, model: "m" });
  server.enqueue({
    json: chatCompletionBody({ content: "**Oslo** has 717,710 people." }),
  });
  await assert.rejects(
    generateObject(client, [{ role: "user", content: "?" }], { schema }),
    (e: unknown) =>
      e instanceof StructuredOutputError &&
      e.raw === "**Oslo** has 717,710 people." && /not JSON/.test(e.message),
  );
  // The schema is checked here too: not every server enforces it.
  server.enqueue({ json: chatCompletionBody({ content: '{"nom":"Oslo"}' }) });
  await assert.rejects(
    generateObject(client, [{ role: "user", content: "?" }], { schema }),
    (e: unknown) =>
      e instanceof StructuredOutputError && e.raw === '{"nom":"Oslo"}' &&
      /does not follow the schema \(\$ lacks the required property "name"; \$ lacks the required property "population"\)/
        .test(e.message) &&
      // strict: true was sent: the advice is not to send it.
      !/with strict: true, or/.test(e.message) &&
      /was asked to enforce the schema/.test(e.message),
  );
  server.enqueue({
    json: chatCompletionBody({ content: '{"name":"Oslo","population":-3}' }),
  });
  await assert.rejects(
    generateObject(client, [{ role: "user", content: "?" }], {
      schema,
      strict: false,
      validate: (v) => {
        if ((v as { population: number }).population < 0) {
          throw new Error("population is negative");
        }
        return v;
      },
    }),
    (e: unknown) =>
      e instanceof StructuredOutputError &&
      /validation failed: population is negative/.test(e.message) &&
      /with strict: true, or a clearer prompt/.test(e.message),
  );
});

Deno.test("parseJsonAnswer() forgives a Markdown fence and rejects an empty answer", () => {
  const fence = "`".repeat(3);
  assert.deepEqual(parseJsonAnswer(`${fence}json\n{"a":1}\n${fence}`), {
    a: 1,
  });
  assert.deepEqual(parseJsonAnswer(`  ${fence}\n[1, 2]\n${fence}  `), [1, 2]);
  assert.throws(() => parseJsonAnswer("   "), /the answer is empty/);
});
