/**
 * Structured output: the `response_format` field, checked before sending.
 * vLLM, Ollama, llama.cpp and LM Studio all take the `json_schema` shape.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";

/**
 * What shape the answer must have.
 *
 * @example A JSON schema
 * ```ts
 * import type { ResponseFormat } from "@gptoss/client";
 * const format: ResponseFormat = {
 *   type: "json_schema",
 *   json_schema: {
 *     name: "city",
 *     schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
 *   },
 * };
 * ```
 */
export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
    type: "json_schema";
    json_schema: {
      /** A name for the schema. */
      name: string;
      /** The JSON schema the answer must follow. */
      schema: Record<string, unknown>;
      /** Ask the server to enforce it strictly, where it can. */
      strict?: boolean;
      /** What the schema is for. */
      description?: string;
    };
  };

/** @throws {ConfigError} Unless `value` is a well-formed response format. */
export function checkResponseFormat(
  field: string,
  value: unknown,
): ResponseFormat {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === "text" || type === "json_object") return value as ResponseFormat;
  if (type === "json_schema") {
    const spec =
      (value as { json_schema?: { name?: unknown; schema?: unknown } })
        .json_schema;
    if (
      spec !== null && typeof spec === "object" &&
      typeof spec.name === "string" &&
      spec.schema !== null && typeof spec.schema === "object"
    ) return value as ResponseFormat;
    throw new ConfigError(
      `${field}.json_schema`,
      spec,
      "{ name: string, schema: object }",
    );
  }
  throw new ConfigError(
    field,
    value,
    '{ type: "text" }, { type: "json_object" } or { type: "json_schema", json_schema: { name, schema } }',
  );
}
