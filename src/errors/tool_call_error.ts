/**
 * A tool call whose arguments are not the JSON object they must be.
 *
 * @module
 */

import { GptOssError, type GptOssErrorOptions } from "./gptoss_error.ts";

/**
 * The model called a tool with arguments that do not parse as a JSON
 * object, or called a tool the request did not declare
 * ({@link ToolCallError.declaredTools} is then set).
 *
 * @example Reading a broken tool call
 * ```ts
 * import { parseToolCalls, ToolCallError } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const cut = { id: "c1", type: "function" as const, function: { name: "get_weather", arguments: '{"city": "Os' } };
 * assert.throws(
 *   () => parseToolCalls({ role: "assistant", content: null, tool_calls: [cut] }),
 *   (error) => error instanceof ToolCallError && error.toolName === "get_weather" && error.arguments === '{"city": "Os',
 * );
 * ```
 */
export class ToolCallError extends GptOssError {
  /** The tool's name. */
  readonly toolName: string;
  /** The arguments text as the model wrote it. */
  readonly arguments: string;
  /** For a call of a tool the request did not declare: the tools it did. */
  readonly declaredTools?: readonly string[];

  /**
   * Creates the error.
   *
   * @param toolName The tool's name.
   * @param args The arguments text.
   * @param problem Why it does not parse.
   * @param options The parser's error as the cause.
   */
  constructor(
    toolName: string,
    args: string,
    problem: string,
    options: GptOssErrorOptions & { declaredTools?: readonly string[] } = {},
  ) {
    const { declaredTools, ...rest } = options;
    super(
      declaredTools
        ? `The model called ${
          JSON.stringify(toolName)
        }, which is not one of the tools the request declared (${
          declaredTools.join(", ") || "none"
        }).`
        : `The model called ${
          JSON.stringify(toolName)
        } with arguments that are not a JSON object (${problem}): ${
          args.length > 200 ? `${args.slice(0, 200)}…` : args
        }. A higher maxTokens helps when they were cut off; the raw text is in error.arguments.`,
      rest,
    );
    this.toolName = toolName;
    this.arguments = args;
    if (declaredTools) this.declaredTools = Object.freeze([...declaredTools]);
  }
}
