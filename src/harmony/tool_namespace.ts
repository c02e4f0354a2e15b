/**
 * Renders function tools the way the gpt-oss chat template does: a
 * TypeScript-like `functions` namespace in the developer message. A port of
 * the template's `render_tool_namespace` and `render_typescript_type` macros,
 * down to their whitespace quirks (a nested object's property types start on
 * a new line indented by 16 spaces, since the template does not trim there),
 * so that exact counts match what servers that use the template send.
 *
 * Source: chat_template.jinja of openai/gpt-oss-20b and openai/gpt-oss-120b,
 * as copied in llama.cpp's models/templates/openai-gpt-oss-120b.jinja.
 *
 * @module
 */

import type { ToolDefinition } from "../wire/tools.ts";
import { pythonJson } from "./python_json.ts";

type Schema = Record<string, unknown>;

const NESTED_INDENT = "\n                ";
const ONE_OF_DEFAULT_INDENT = "                    ";

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Jinja truthiness: empty strings, lists and mappings are false. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isSchema(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : pythonJson(value);
}

function required(schema: Schema): unknown[] {
  return Array.isArray(schema.required) ? schema.required : [];
}

/** The template's `render_typescript_type`. */
function typescriptType(spec: Schema): string {
  const type = spec.type;
  if (type === "array") {
    let out: string;
    const items = spec.items;
    if (truthy(items) && isSchema(items)) {
      const itemType = items.type;
      if (itemType === "string") out = "string[]";
      else if (itemType === "number" || itemType === "integer") {
        out = "number[]";
      } else if (itemType === "boolean") out = "boolean[]";
      else {
        const inner = typescriptType(items);
        out = inner === "object | object" || inner.length > 50
          ? "any[]"
          : `${inner}[]`;
      }
    } else out = "any[]";
    return truthy(spec.nullable) ? `${out} | null` : out;
  }
  if (Array.isArray(type) && type.length > 0) {
    return type.length > 1 ? type.map(text).join(" | ") : text(type[0]);
  }
  if (truthy(spec.oneOf) && Array.isArray(spec.oneOf)) {
    // The template's object-variant check sets a variable inside a loop,
    // which Jinja scopes to the loop: it never takes effect.
    let out = "";
    spec.oneOf.forEach((variant: unknown, i: number, all: unknown[]) => {
      const v = isSchema(variant) ? variant : {};
      out += typescriptType(v);
      if (truthy(v.description)) out += `// ${text(v.description)}`;
      if (v.default !== undefined) {
        out += `${ONE_OF_DEFAULT_INDENT}// default: ${pythonJson(v.default)}`;
      }
      if (i < all.length - 1) out += " | \n";
    });
    return out;
  }
  if (type === "string") {
    if (truthy(spec.enum) && Array.isArray(spec.enum)) {
      return `"${spec.enum.map(text).join('" | "')}"`;
    }
    return truthy(spec.nullable) ? "string | null" : "string";
  }
  if (type === "number" || type === "integer") return "number";
  if (type === "boolean") return "boolean";
  if (type === "object") {
    const properties = spec.properties;
    if (!truthy(properties) || !isSchema(properties)) return "object";
    const names = required(spec);
    const fields = Object.entries(properties).map(([name, property]) =>
      `${name}${names.includes(name) ? "" : "?"}: ${NESTED_INDENT}${
        typescriptType(isSchema(property) ? property : {})
      }`
    );
    return `{\n${fields.join(", ")}}`;
  }
  return "any";
}

/** One parameter of a function, with its comment and default. */
function parameter(name: string, spec: Schema, names: unknown[]): string {
  let out = truthy(spec.description) ? `// ${text(spec.description)}\n` : "";
  out += `${name}${names.includes(name) ? "" : "?"}: ${typescriptType(spec)}`;
  if (spec.default !== undefined) {
    if (truthy(spec.enum)) out += `, // default: ${text(spec.default)}`;
    else if (truthy(spec.oneOf)) out += `// default: ${text(spec.default)}`;
    else out += `, // default: ${pythonJson(spec.default)}`;
  }
  return `${out},\n`;
}

/**
 * @param tools The request's function tools.
 * @returns The `## functions` namespace the template puts after `# Tools`.
 */
export function renderToolNamespace(tools: readonly ToolDefinition[]): string {
  let out = "## functions\n\nnamespace functions {\n\n";
  for (const { function: fn } of tools) {
    out += `// ${fn.description ?? ""}\ntype ${fn.name} = `;
    const parameters = isSchema(fn.parameters) ? fn.parameters : {};
    const properties = parameters.properties;
    if (truthy(parameters) && truthy(properties) && isSchema(properties)) {
      const names = required(parameters);
      out += "(_: {\n";
      for (const [name, spec] of Object.entries(properties)) {
        out += parameter(name, isSchema(spec) ? spec : {}, names);
      }
      out += "}) => any;\n\n";
    } else out += "() => any;\n\n";
  }
  return `${out}} // namespace functions`;
}
