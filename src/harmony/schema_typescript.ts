/**
 * A JSON schema as the TypeScript-like type openai-harmony writes for a
 * tool's parameters (its `json_schema_to_typescript`), which vLLM's chat
 * path puts in the developer message. It differs from the chat template's
 * rendering (harmony/tool_namespace.ts): four-space indents for nested
 * objects, `// default: …` after the comma as compact JSON, `Array<any>` for
 * an array without items. Properties keep their order (openai-harmony reads
 * JSON with `preserve_order`).
 *
 * Source: openai/harmony v0.0.8, src/encoding.rs.
 *
 * @module
 */

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Rust's `format!("{value}")` of a `serde_json::Value`: compact JSON. */
function compact(value: unknown): string {
  return JSON.stringify(value) ?? "null";
}

function isEnum(schema: Schema): boolean {
  return Array.isArray(schema.enum) && schema.enum.length > 0;
}

function defaultComment(schema: Schema): string | undefined {
  if (!("default" in schema)) return undefined;
  const value = schema.default;
  if (typeof value === "string") {
    return isEnum(schema) ? `default: ${value}` : `default: "${value}"`;
  }
  return `default: ${compact(value)}`;
}

function withNull(type: string, schema: Schema): string {
  return schema.nullable === true && !type.includes("null")
    ? `${type} | null`
    : type;
}

function oneOfVariants(
  variants: unknown[],
  indent: string,
  skipFirstDescription: boolean,
  propertyDescription: string | undefined,
): string {
  let out = "";
  variants.forEach((raw, i) => {
    const variant = isSchema(raw) ? raw : {};
    out += `${indent} | ` + withNull(
      schemaToTypescript(variant, `${indent}   `),
      variant,
    );
    const comments: string[] = [];
    const description = typeof variant.description === "string"
      ? variant.description
      : undefined;
    if (
      !(i === 0 && skipFirstDescription) && description !== undefined &&
      description !== propertyDescription
    ) comments.push(description);
    const fallback = defaultComment(variant);
    if (fallback) comments.push(fallback);
    if (comments.length) out += ` // ${comments.join(" ")}`;
    out += "\n";
  });
  return out;
}

function objectType(schema: Schema, indent: string): string {
  let out = typeof schema.description === "string"
    ? `${indent}// ${schema.description}\n`
    : "";
  out += "{\n";
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required)
      ? schema.required.filter((r) => typeof r === "string")
      : [],
  );
  for (const [key, raw] of Object.entries(properties)) {
    const value = isSchema(raw) ? raw : {};
    if (typeof value.title === "string") {
      out += `${indent}// ${value.title}\n${indent}//\n`;
    }
    const oneOf = Array.isArray(value.oneOf) ? value.oneOf : undefined;
    const description = typeof value.description === "string"
      ? value.description
      : undefined;
    if (!oneOf && description !== undefined) {
      out += `${indent}// ${description}\n`;
    }
    if (Array.isArray(value.examples) && value.examples.length > 0) {
      out += `${indent}// Examples:\n`;
      for (const example of value.examples) {
        if (typeof example === "string") out += `${indent}// - "${example}"\n`;
      }
    }
    const mark = required.has(key) ? "" : "?";
    if (oneOf) {
      const first = isSchema(oneOf[0]) ? oneOf[0] : {};
      const skip = description !== undefined &&
        first.description === description;
      const above = !skip && description !== undefined;
      if (above) out += `${indent}// ${description}\n`;
      const fallback = defaultComment(value);
      if (fallback) out += `${indent}// ${fallback}\n`;
      out += `${indent}${key}${mark}:\n`;
      out += oneOfVariants(oneOf, indent, above, description);
      out += `${indent},\n`;
      continue;
    }
    out += `${indent}${key}${mark}: ` +
      withNull(schemaToTypescript(value, `${indent}    `), value) + ",";
    const fallback = defaultComment(value);
    if (fallback) out += ` // ${fallback}`;
    out += "\n";
  }
  return `${out}${indent}}`;
}

/**
 * @param schema A JSON schema.
 * @param indent The indent of the lines it adds.
 * @returns Its TypeScript-like type, as openai-harmony writes it.
 */
export function schemaToTypescript(schema: Schema, indent: string): string {
  if (Array.isArray(schema.oneOf)) {
    let out = "";
    schema.oneOf.forEach((raw) => {
      const variant = isSchema(raw) ? raw : {};
      out += `\n${indent} | ` + withNull(
        schemaToTypescript(variant, `${indent}   `),
        variant,
      );
      const comments: string[] = [];
      if (typeof variant.description === "string") {
        comments.push(variant.description);
      }
      const fallback = defaultComment(variant);
      if (fallback) comments.push(fallback);
      if (comments.length) out += ` // ${comments.join(" ")}`;
    });
    return out;
  }
  const type = schema.type;
  if (Array.isArray(type)) {
    const names = type.filter((t) => typeof t === "string").map((t) =>
      t === "integer" ? "number" : t
    );
    if (names.length) return names.join(" | ");
  }
  switch (type) {
    case "object":
      return objectType(schema, indent);
    case "string":
      if (Array.isArray(schema.enum)) {
        const values = schema.enum.filter((v) => typeof v === "string");
        if (values.length) return values.map((v) => `"${v}"`).join(" | ");
      }
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return "items" in schema
        ? `${
          schemaToTypescript(isSchema(schema.items) ? schema.items : {}, indent)
        }[]`
        : "Array<any>";
    default:
      return "any";
  }
}
