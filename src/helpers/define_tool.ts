/**
 * A tool the client can run: a function tool in OpenAI's shape (what a
 * request sends) with its implementation beside it (what a tool loop runs).
 * One shape for both: a {@link Tool} can be passed as a request's `tools`,
 * where `execute` is not sent.
 *
 * @module
 */

import { checkKnownKeys, isPlainObject, type KeyRegistry } from "../checks.ts";
import { ConfigError } from "../errors/mod.ts";
import { checkToolName, type ToolDefinition } from "../wire/tools.ts";
import type { JsonSchema, SchemaValue } from "./json_schema.ts";
import type { ParsedToolCall } from "./parse_tool_calls.ts";

/**
 * What a tool's `execute` gets besides its arguments.
 *
 * @example Passing the loop's signal on to the work a tool does
 * ```ts
 * import type { ToolContext } from "@gptoss/client";
 * const fetchPage = (url: string, { signal }: ToolContext) => fetch(url, { signal });
 * ```
 */
export interface ToolContext {
  /** The call as the model made it, arguments parsed. */
  call: ParsedToolCall;
  /** The loop's signal, when it has one. */
  signal?: AbortSignal;
}

/**
 * A function tool with its implementation.
 *
 * @example A tool written by hand
 * ```ts
 * import type { Tool } from "@gptoss/client";
 * const now: Tool = {
 *   type: "function",
 *   function: { name: "now", description: "The current time", parameters: { type: "object", properties: {} } },
 *   execute: () => new Date(0).toISOString(),
 * };
 * ```
 */
export interface Tool<Args = Record<string, unknown>> extends ToolDefinition {
  /** Runs it. The result is sent back to the model as text (objects as JSON). */
  execute(args: Args, context: ToolContext): unknown;
}

/**
 * What {@link defineTool} takes: the function's name, description and JSON
 * schema, and its implementation.
 *
 * @example Describing a tool
 * ```ts
 * import type { ToolSpec } from "@gptoss/client";
 * const spec: ToolSpec<{ type: "object"; properties: { city: { type: "string" } } }> = {
 *   name: "get_weather",
 *   parameters: { type: "object", properties: { city: { type: "string" } } },
 *   execute: ({ city }) => `Sunny in ${city ?? "town"}`,
 * };
 * ```
 */
export interface ToolSpec<P extends JsonSchema> {
  /** Letters, digits, `_`, `.` and `-`. */
  name: string;
  /** What it does, for the model. */
  description?: string;
  /** A JSON schema of its arguments object. */
  parameters?: P;
  /** Ask the server to hold the arguments to the schema, where it can. */
  strict?: boolean;
  /** Runs it, with the arguments typed from the schema. */
  execute(args: SchemaValue<P>, context: ToolContext): unknown;
}

const SPEC_KEYS: KeyRegistry<ToolSpec<JsonSchema>> = {
  name: true,
  description: true,
  parameters: true,
  strict: true,
  execute: true,
};

/**
 * Makes a {@link Tool} whose `execute` arguments are typed from its JSON
 * schema (written inline, or `as const`).
 *
 * @param spec The name, description, schema and implementation.
 * @returns The tool, for a tool loop or a request's `tools`.
 *
 * @example A weather tool whose arguments are typed
 * ```ts
 * import { defineTool } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const weather = defineTool({
 *   name: "get_weather",
 *   description: "Current weather in a city",
 *   parameters: {
 *     type: "object",
 *     properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
 *     required: ["city"],
 *   },
 *   execute: ({ city, unit }) => `${city}: 18° ${unit ?? "celsius"}`, // city: string, unit?: "celsius" | "fahrenheit"
 * });
 * assert.equal(weather.function.name, "get_weather");
 * ```
 */
export function defineTool<
  const P extends JsonSchema = {
    readonly type: "object";
    readonly properties: Record<never, never>;
  },
>(
  spec: ToolSpec<P>,
): Tool<SchemaValue<P>> {
  checkKnownKeys("spec", spec, SPEC_KEYS);
  if (typeof spec?.execute !== "function") {
    throw new ConfigError(
      "spec.execute",
      spec?.execute,
      "the function that runs the tool",
    );
  }
  checkToolName("spec.name", spec.name);
  if (spec.description !== undefined && typeof spec.description !== "string") {
    throw new ConfigError("spec.description", spec.description, "a string");
  }
  if (spec.parameters !== undefined && !isPlainObject(spec.parameters)) {
    throw new ConfigError(
      "spec.parameters",
      spec.parameters,
      "a JSON schema object",
    );
  }
  if (spec.strict !== undefined && typeof spec.strict !== "boolean") {
    throw new ConfigError("spec.strict", spec.strict, "true or false");
  }
  return {
    type: "function",
    function: {
      name: spec.name,
      ...(spec.description === undefined
        ? {}
        : { description: spec.description }),
      parameters: spec.parameters ?? { type: "object", properties: {} },
      ...(spec.strict === undefined ? {} : { strict: spec.strict }),
    },
    execute: spec.execute,
  };
}
