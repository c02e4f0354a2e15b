/**
 * Function tools in OpenAI's shape, and the checks that catch a malformed
 * definition before the server does.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";

/**
 * A function the model may call, described with a JSON schema.
 *
 * @example Declaring a function tool
 * ```ts
 * import type { ToolDefinition } from "@gptoss/client";
 * const weather: ToolDefinition = {
 *   type: "function",
 *   function: {
 *     name: "get_weather",
 *     description: "Current weather in a city",
 *     parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
 *   },
 * };
 * ```
 */
export interface ToolDefinition {
  /** Always `"function"`. */
  type: "function";
  /** The function's name, description and parameters. */
  function: {
    /** Letters, digits, `_` and `-`. */
    name: string;
    /** What the function does, for the model. */
    description?: string;
    /** A JSON schema of the arguments object. */
    parameters?: Record<string, unknown>;
    /** Ask the server to hold the arguments to the schema, where it can. */
    strict?: boolean;
  };
}

/**
 * Whether and which tool the model must call.
 *
 * @example Forcing one tool
 * ```ts
 * import type { ToolChoice } from "@gptoss/client";
 * const force: ToolChoice = { type: "function", function: { name: "get_weather" } };
 * ```
 */
export type ToolChoice =
  | "auto"
  | "none"
  | "required"
  | { type: "function"; function: { name: string } };

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** @throws {ConfigError} Unless `value` is a tool name servers accept. */
export function checkToolName(field: string, value: unknown): string {
  if (typeof value !== "string" || !TOOL_NAME.test(value)) {
    throw new ConfigError(field, value, "1 to 64 letters, digits, _, . or -");
  }
  return value;
}

/** @throws {ConfigError} For anything but an array of well-formed function tools. */
export function checkTools(field: string, tools: unknown): ToolDefinition[] {
  if (!Array.isArray(tools)) {
    throw new ConfigError(
      field,
      tools,
      'an array of { type: "function", function: { name, parameters } }',
    );
  }
  const names = new Set<string>();
  tools.forEach((tool, i) => {
    const fn = (tool as ToolDefinition | null)?.function;
    if (
      (tool as ToolDefinition | null)?.type !== "function" || fn === null ||
      typeof fn !== "object"
    ) {
      throw new ConfigError(
        `${field}[${i}]`,
        tool,
        '{ type: "function", function: { name, parameters } }',
      );
    }
    checkToolName(`${field}[${i}].function.name`, fn.name);
    if (names.has(fn.name)) {
      throw new ConfigError(
        `${field}[${i}].function.name`,
        fn.name,
        "a name no other tool has",
      );
    }
    names.add(fn.name);
    if (
      fn.parameters !== undefined &&
      (fn.parameters === null || typeof fn.parameters !== "object")
    ) {
      throw new ConfigError(
        `${field}[${i}].function.parameters`,
        fn.parameters,
        "a JSON schema object",
      );
    }
  });
  return tools as ToolDefinition[];
}

/** @throws {ConfigError} Unless `value` is a valid tool choice (naming a tool that exists). */
export function checkToolChoice(
  field: string,
  value: unknown,
  tools: ToolDefinition[] | undefined,
): ToolChoice {
  if (value === "auto" || value === "none" || value === "required") {
    return value;
  }
  const name =
    (value as { type?: unknown; function?: { name?: unknown } } | null)
      ?.function?.name;
  if (
    (value as { type?: unknown } | null)?.type === "function" &&
    typeof name === "string"
  ) {
    if (tools && !tools.some((t) => t.function.name === name)) {
      throw new ConfigError(
        field,
        value,
        `the name of one of the tools (${
          tools.map((t) => t.function.name).join(", ")
        })`,
      );
    }
    return value as ToolChoice;
  }
  throw new ConfigError(
    field,
    value,
    '"auto", "none", "required" or { type: "function", function: { name } }',
  );
}
