/**
 * The base of every error the client throws.
 *
 * @module
 */

import type { ChatCompletion } from "../types.ts";

/**
 * Options shared by every error.
 *
 * @example Attaching a cause
 * ```ts
 * import { GptOssError } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const error = new GptOssError("It broke.", { cause: new Error("socket") });
 * assert.equal((error.cause as Error).message, "socket");
 * ```
 */
export interface GptOssErrorOptions {
  /** The lower-level error behind this one. */
  cause?: unknown;
  /** What a stream delivered before it failed, marked `incomplete`. */
  partial?: ChatCompletion;
}

/**
 * The base of every error this library throws.
 *
 * @example Catching any client error
 * ```ts
 * import { GptOssClient, GptOssError } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const client = new GptOssClient({ model: "gpt-oss-20b" });
 * await assert.rejects(
 *   client.generateResponse([]), // every failure is a GptOssError subclass
 *   (error) => error instanceof GptOssError && error.name === "InvalidMessageError",
 * );
 * ```
 */
export class GptOssError extends Error {
  /** What a stream delivered before it failed, when the failure was mid-stream. */
  declare partial?: ChatCompletion;

  /**
   * Creates the error.
   *
   * @param message What happened and what to do.
   * @param options A cause and a partial completion.
   */
  constructor(message: string, options: GptOssErrorOptions = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = new.target.name;
    if (options.partial) this.partial = options.partial;
  }

  /**
   * A plain object for `JSON.stringify`: the name, the message and the
   * error's own fields; a cause becomes its message.
   *
   * @returns A JSON-safe description of the error.
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      message: this.message,
    };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== "name") json[key] = value;
    }
    if (this.cause !== undefined) json.cause = String(this.cause);
    return json;
  }
}
