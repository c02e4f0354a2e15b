import assert from "node:assert/strict";
import fc from "npm:fast-check@^4.3.0";
import { schemaProblems } from "../src/helpers/schema_check.ts";

Deno.test("schemaProblems() checks the keywords structured output uses, each problem with its path", () => {
  const schema = {
    type: "object",
    properties: {
      name: { type: "string", minLength: 2, maxLength: 5 },
      age: { type: "integer", minimum: 0, maximum: 150 },
      tags: { type: "array", items: { enum: ["a", "b"] }, maxItems: 2 },
      kind: { const: "city" },
      code: { type: "string", pattern: "^[A-Z]{2}$" },
      note: { type: ["string", "null"] },
      ratio: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
      nick: { type: "string", nullable: true },
    },
    required: ["name", "age"],
    additionalProperties: false,
  };
  assert.deepEqual(
    schemaProblems({
      name: "Oslo",
      age: 5,
      tags: ["a"],
      kind: "city",
      code: "NO",
      note: null,
      ratio: 0.5,
      nick: null,
    }, schema),
    [],
  );
  const cases: [unknown, string][] = [
    ["Oslo", "$ should be object, not string"],
    [{ age: 1 }, '$ lacks the required property "name"'],
    [{ name: "O", age: 1 }, "$.name should have at least 2 characters, not 1"],
    [
      { name: "Oslo city", age: 1 },
      "$.name should have at most 5 characters, not 9",
    ],
    [{ name: "Oslo", age: 1.5 }, "$.age should be integer, not number"],
    [{ name: "Oslo", age: -1 }, "$.age should be at least 0, not -1"],
    [{ name: "Oslo", age: 151 }, "$.age should be at most 150, not 151"],
    [
      { name: "Oslo", age: 1, tags: ["c"] },
      '$.tags[0] should be one of ["a","b"], not "c"',
    ],
    [
      { name: "Oslo", age: 1, tags: ["a", "a", "b"] },
      "$.tags should have at most 2 items, not 3",
    ],
    [
      { name: "Oslo", age: 1, kind: "town" },
      '$.kind should be "city", not "town"',
    ],
    [{ name: "Oslo", age: 1, code: "no" }, "$.code should match ^[A-Z]{2}$"],
    [{ name: "Oslo", age: 1, ratio: 1 }, "$.ratio should be below 1, not 1"],
    [
      { name: "Oslo", age: 1, extra: true },
      '$ has a property the schema does not allow: "extra"',
    ],
    [
      { name: "Oslo", age: 1, note: 3 },
      "$.note should be string or null, not number",
    ],
  ];
  for (const [value, problem] of cases) {
    assert.deepEqual(
      schemaProblems(value, schema),
      [problem],
      JSON.stringify(value),
    );
  }
  // Unions, and schemas for the other properties.
  const union = { anyOf: [{ type: "string" }, { type: "integer" }] };
  assert.deepEqual(schemaProblems(3, union), []);
  assert.deepEqual(schemaProblems(true, union), [
    "$ matches none of the schemas of anyOf",
  ]);
  assert.deepEqual(
    schemaProblems(3, { oneOf: [{ type: "number" }, { type: "integer" }] }),
    ["$ matches 2 of the schemas of oneOf, not exactly one"],
  );
  assert.deepEqual(
    schemaProblems({ a: 1, b: "x" }, {
      additionalProperties: { type: "number" },
    }),
    ["$.b should be number, not string"],
  );
  // At most five problems; unknown keywords are not checked.
  assert.equal(
    schemaProblems({}, { required: ["a", "b", "c", "d", "e", "f", "g"] })
      .length,
    5,
  );
  assert.deepEqual(
    schemaProblems("x", { format: "email", $ref: "#/nope" }),
    [],
  );
});

Deno.test("schemaProblems() accepts every value the JSON it came from was made to follow", () => {
  // A value generated from its own shape follows the schema made from it.
  const toSchema = (v: unknown): Record<string, unknown> => {
    if (v === null) return { type: "null" };
    if (Array.isArray(v)) return { type: "array", items: {} };
    if (typeof v === "object") {
      const o = v as Record<string, unknown>;
      return {
        type: "object",
        properties: Object.fromEntries(
          Object.entries(o).map(([k, x]) => [k, toSchema(x)]),
        ),
        required: Object.keys(o),
        additionalProperties: false,
      };
    }
    if (typeof v === "number") {
      return { type: Number.isInteger(v) ? "integer" : "number" };
    }
    return { type: typeof v };
  };
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const parsed = JSON.parse(JSON.stringify(value));
      assert.deepEqual(schemaProblems(parsed, toSchema(parsed)), []);
    }),
    { numRuns: 300, seed: 15 },
  );
});
