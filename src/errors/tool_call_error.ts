/**
 * A tool call whose arguments are not the JSON object they must be.
 *
 * @module
 */

import { GptOssError, type GptOssErrorOptions } from "./gptoss_error.ts";

/**
 * The model called a tool with arguments that do not parse as a JSON object.
 *
 * @example Reading a broken tool call
 * ```ts
 * import { ToolCallError } from "@gptoss/client";
 * const error = new ToolCallError("get_weather", '{"city": "Os', "Unexpected end of JSON input");
 * console.log(error.toolName, error.arguments);
 * ```
 */
export class ToolCallError extends GptOssError {
  /** The tool's name. */
  readonly toolName: string;
  /** The arguments text as the model wrote it. */
  readonly arguments: string;

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
    options: GptOssErrorOptions = {},
  ) {
    super(
      `The model called ${
        JSON.stringify(toolName)
      } with arguments that are not a JSON object (${problem}): ${
        args.length > 200 ? `${args.slice(0, 200)}…` : args
      }. A higher maxTokens helps when they were cut off; the raw text is in error.arguments.`,
      options,
    );
    this.toolName = toolName;
    this.arguments = args;
  }
}
