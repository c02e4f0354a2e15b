/**
 * Checks a value against a JSON schema, for the keywords structured output
 * uses: `type` (one or several, `integer` too), `nullable`, `enum`, `const`,
 * `properties`, `required`, `additionalProperties`, `items`, `minItems`,
 * `maxItems`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
 * `minLength`, `maxLength`, `pattern`, `anyOf`, `oneOf`, `allOf`. Other
 * keywords (`$ref`, `format`, `if`/`then`, `dependentRequired`, …) are not
 * checked.
 *
 * @module
 */

/** The first problems found, at most this many. */
const MAX_PROBLEMS = 5;

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function hasType(value: unknown, type: unknown): boolean {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "object":
      return isSchema(value);
    default:
      return typeOf(value) === type;
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length &&
    ka.every((k) =>
      equal(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
      )
    );
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function check(
  value: unknown,
  schema: unknown,
  path: string,
  problems: string[],
): void {
  if (problems.length >= MAX_PROBLEMS || !isSchema(schema)) return;
  const fail = (problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(`${path} ${problem}`);
  };
  if (value === null && schema.nullable === true) return;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) {
      fail(`should be ${types.join(" or ")}, not ${typeOf(value)}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => equal(e, value))) {
    fail(`should be one of ${shown(schema.enum)}, not ${shown(value)}`);
  }
  if ("const" in schema && !equal(schema.const, value)) {
    fail(`should be ${shown(schema.const)}, not ${shown(value)}`);
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) {
      fail(
        `should have at least ${schema.minLength} characters, not ${length}`,
      );
    }
    if (typeof schema.maxLength === "number" && length > schema.maxLength) {
      fail(`should have at most ${schema.maxLength} characters, not ${length}`);
    }
    if (typeof schema.pattern === "string") {
      let pattern: RegExp | undefined;
      try {
        pattern = new RegExp(schema.pattern, "u");
      } catch { /* a pattern JavaScript cannot read is not checked */ }
      if (pattern && !pattern.test(value)) {
        fail(`should match ${schema.pattern}`);
      }
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      fail(`should be at least ${schema.minimum}, not ${value}`);
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      fail(`should be at most ${schema.maximum}, not ${value}`);
    }
    if (
      typeof schema.exclusiveMinimum === "number" &&
      value <= schema.exclusiveMinimum
    ) {
      fail(`should be above ${schema.exclusiveMinimum}, not ${value}`);
    }
    if (
      typeof schema.exclusiveMaximum === "number" &&
      value >= schema.exclusiveMaximum
    ) {
      fail(`should be below ${schema.exclusiveMaximum}, not ${value}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) {
      fail(
        `should have at least ${schema.minItems} items, not ${value.length}`,
      );
    }
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      fail(`should have at most ${schema.maxItems} items, not ${value.length}`);
    }
    if (isSchema(schema.items)) {
      value.forEach((item, i) =>
        check(item, schema.items, `${path}[${i}]`, problems)
      );
    }
  }
  if (isSchema(value)) {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    if (Array.isArray(schema.required)) {
      for (const key of schema.required) {
        if (typeof key === "string" && !Object.hasOwn(value, key)) {
          fail(`lacks the required property ${JSON.stringify(key)}`);
        }
      }
    }
    for (const [key, item] of Object.entries(value)) {
      const at = `${path}.${key}`;
      if (Object.hasOwn(properties, key)) {
        check(item, properties[key], at, problems);
      } else if (schema.additionalProperties === false) {
        fail(
          `has a property the schema does not allow: ${JSON.stringify(key)}`,
        );
      } else if (isSchema(schema.additionalProperties)) {
        check(item, schema.additionalProperties, at, problems);
      }
    }
  }
  const passes = (sub: unknown) => {
    const found: string[] = [];
    check(value, sub, path, found);
    return found.length === 0;
  };
  if (Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf) check(value, sub, path, problems);
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some(passes)) {
    fail(`matches none of the schemas of anyOf`);
  }
  if (Array.isArray(schema.oneOf)) {
    const matched = schema.oneOf.filter(passes).length;
    if (matched !== 1) {
      fail(`matches ${matched} of the schemas of oneOf, not exactly one`);
    }
  }
}

/**
 * @param value A parsed JSON value.
 * @param schema The JSON schema it should follow.
 * @returns What is wrong, each with its path (`$.name lacks …`), the first
 * five at most; empty when the value follows the schema (as far as the
 * checked keywords go).
 */
export function schemaProblems(value: unknown, schema: unknown): string[] {
  const problems: string[] = [];
  check(value, schema, "$", problems);
  return problems;
}
