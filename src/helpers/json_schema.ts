/**
 * JSON schemas as tools and structured output take them, and the TypeScript
 * type of the value a schema describes, so that a tool's arguments and a
 * structured answer are typed from the schema written once.
 *
 * @module
 */

/**
 * A JSON schema object, as tools (`parameters`) and structured output
 * (`schema`) take it.
 *
 * @example A schema for a city
 * ```ts
 * import type { JsonSchema } from "@gptoss/client";
 * const city: JsonSchema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
 * ```
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * The TypeScript type of a value that follows a JSON schema written as a
 * literal (`const`), for the common keywords: `type` (one or several),
 * `enum`, `const`, `properties` with `required`, `items`, `nullable`.
 * Anything it cannot read is `unknown`.
 *
 * @example The type of a tool's arguments
 * ```ts
 * import type { SchemaValue } from "@gptoss/client";
 * const schema = {
 *   type: "object",
 *   properties: { city: { type: "string" }, days: { type: "integer" } },
 *   required: ["city"],
 * } as const;
 * const args: SchemaValue<typeof schema> = { city: "Oslo" }; // days?: number
 * ```
 */
export type SchemaValue<S> = S extends { readonly const: infer C } ? C
  : S extends { readonly enum: readonly (infer E)[] } ? E
  : S extends { readonly type: infer T } ?
      | ((T extends readonly (infer U)[] ? U : T) extends infer N
        ? N extends "string" ? string
        : N extends "number" | "integer" ? number
        : N extends "boolean" ? boolean
        : N extends "null" ? null
        : N extends "array"
          ? S extends { readonly items: infer I } ? SchemaValue<I>[]
          : unknown[]
        : N extends "object" ? S extends { readonly properties: infer P } ?
              & {
                -readonly [
                  K in keyof P as K extends
                    (S extends { readonly required: readonly (infer R)[] } ? R
                      : never) ? K
                    : never
                ]: SchemaValue<P[K]>;
              }
              & {
                -readonly [
                  K in keyof P as K extends
                    (S extends { readonly required: readonly (infer R)[] } ? R
                      : never) ? never
                    : K
                ]?: SchemaValue<P[K]>;
              }
          : Record<string, unknown>
        : unknown
        : never)
      | (S extends { readonly nullable: true } ? null : never)
  : unknown;
