/**
 * The package's version, kept equal to `version` in deno.json (a test checks).
 *
 * @module
 */

/** The package's version. */
export const VERSION = "0.1.0";
