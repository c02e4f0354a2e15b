/**
 * The package's version, kept equal to `version` in deno.json (a test checks).
 *
 * @module
 */

/**
 * The package's version.
 *
 * @example Logging which client a service runs
 * ```ts
 * import { VERSION } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * assert.match(VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const VERSION = "0.1.0";
