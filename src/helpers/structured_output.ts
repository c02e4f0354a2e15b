/**
 * Structured output: ask for JSON that follows a schema and get the parsed
 * object back, or a {@link StructuredOutputError} with the raw answer.
 *
 * @module
 */

import { checkKnownKeys, isPlainObject, type KeyRegistry } from "../checks.ts";
import type { GptOssClient } from "../client/client.ts";
import { ConfigError, StructuredOutputError } from "../errors/mod.ts";
import { checkClient } from "./tool_round.ts";
import { REQUEST_KEYS, type RequestOptions } from "../options/options.ts";
import type { ChatCompletion, ChatMessage } from "../types.ts";
import type { JsonSchema } from "./json_schema.ts";
import { schemaProblems } from "./schema_check.ts";

/**
 * Options of {@link generateObject}: any request option, plus the schema.
 *
 * @example Asking for a JSON object by schema
 * ```ts
 * import type { ObjectOptions } from "@gptoss/client";
 * const options: ObjectOptions<{ name: string }> = {
 *   validate: (value) => value as { name: string },
 *   schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
 *   name: "city",
 * };
 * ```
 */
export interface ObjectOptions<T>
  extends Omit<RequestOptions, "responseFormat"> {
  /** The JSON schema the answer must follow. */
  schema: JsonSchema;
  /** A name for the schema. Default `"response"`. */
  name?: string;
  /** Ask the server to enforce the schema strictly. Default `true`. */
  strict?: boolean;
  /** Checks (and may convert) the parsed value; throw to reject it. */
  validate?: (value: unknown) => T;
}

const { responseFormat: _, ...CALL_KEYS } = REQUEST_KEYS;
const OBJECT_KEYS: KeyRegistry<ObjectOptions<unknown>> = {
  ...CALL_KEYS,
  schema: true,
  name: true,
  strict: true,
  validate: true,
};

/**
 * Asks for an answer that follows a JSON schema, parses it and checks it
 * against the schema (for the common keywords: `type`, `required`,
 * `properties`, `additionalProperties`, `enum`, `const`, `items`, the
 * bounds of numbers, strings and arrays, `pattern`, `anyOf`, `oneOf`,
 * `allOf`; not `$ref` or `format`), then with `validate` if given. A model
 * that wraps its JSON in a Markdown code fence is forgiven.
 *
 * @param client The client.
 * @param messages The conversation.
 * @param options The schema, an optional validator, and any request option.
 * @returns The parsed (and validated) object and the completion it came from.
 * @throws {StructuredOutputError} With the raw answer, when it is not JSON,
 * does not follow the schema, or the validator rejects it.
 *
 * @example Getting a typed object back
 * ```ts
 * import { generateObject, GptOssClient } from "@gptoss/client";
 * import { chatCompletionBody, startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = await startMockServer();
 * server.enqueue({ json: chatCompletionBody({ content: '{"name":"Oslo","country":"Norway"}' }) });
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b" });
 * const { object } = await generateObject<{ name: string; country: string }>(
 *   client,
 *   [{ role: "user", content: "The capital of Norway, as JSON" }],
 *   { schema: { type: "object", properties: { name: { type: "string" }, country: { type: "string" } } } },
 * );
 * assert.deepEqual(object, { name: "Oslo", country: "Norway" });
 * ```
 */
export async function generateObject<T = unknown>(
  client: GptOssClient,
  messages: ChatMessage[],
  options: ObjectOptions<T>,
): Promise<{ object: T; completion: ChatCompletion }> {
  checkClient(client, "generateResponse");
  checkKnownKeys("options", options, OBJECT_KEYS);
  if (!isPlainObject(options.schema)) {
    throw new ConfigError(
      "options.schema",
      options.schema,
      "a JSON schema object",
    );
  }
  const { schema, name = "response", strict = true, validate, ...request } =
    options;
  const completion = await client.generateResponse(messages, {
    ...request,
    responseFormat: {
      type: "json_schema",
      json_schema: { name, schema, strict },
    },
  });
  const raw = completion.choices[0].message.content ?? "";
  const value = parseJsonAnswer(raw, strict);
  // What the schema says is checked here too: not every server enforces it.
  const problems = schemaProblems(value, schema);
  if (problems.length) {
    throw new StructuredOutputError(
      raw,
      `it does not follow the schema (${problems.join("; ")})`,
      { strictSent: strict },
    );
  }
  if (!validate) return { object: value as T, completion };
  try {
    return { object: validate(value), completion };
  } catch (cause) {
    throw new StructuredOutputError(
      raw,
      `validation failed: ${(cause as Error)?.message ?? cause}`,
      { cause, strictSent: strict },
    );
  }
}

/**
 * Parses an answer that should be JSON, allowing a Markdown code fence around it.
 *
 * @param raw The answer text.
 * @param strictSent Whether the request asked the server to enforce a schema.
 * @returns The parsed value.
 * @throws {StructuredOutputError} When it is not JSON.
 */
export function parseJsonAnswer(raw: string, strictSent = false): unknown {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/i.exec(raw);
  const text = fenced ? fenced[1] : raw;
  if (text.trim() === "") {
    throw new StructuredOutputError(raw, "the answer is empty", { strictSent });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new StructuredOutputError(
      raw,
      `it is not JSON (${(cause as Error).message})`,
      { cause, strictSent },
    );
  }
}
