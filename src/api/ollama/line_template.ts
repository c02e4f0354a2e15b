/**
 * The templates of Ollama's native stream lines (stream/event_template.ts):
 * the strings of `message` (the answer, the thinking) are holes, and so is
 * `created_at`, new on every line; a line becomes a delta as
 * response.ts reads it.
 *
 * @module
 */

import {
  EventTemplates,
  type EventValue,
  type HoleUse,
  type TemplatePolicy,
} from "../../stream/event_template.ts";
import { deltaFromOllama, OllamaAnswerState } from "./response.ts";

const LINE_POLICY: TemplatePolicy = {
  use(value: EventValue): HoleUse | undefined {
    if (value.kind !== "string") return undefined;
    if (value.path === "created_at") return "ignored";
    return value.path === "message.content" ||
        value.path === "message.thinking"
      ? "delta"
      : undefined;
  },
  // A line ends in LF, a CR before it dropped (stream/ndjson.ts).
  framing: { before: "", after: String.raw`\r?\n` },
  // Only lines without tool calls are learned from, so no state is read.
  delta: (line) =>
    line !== null && typeof line === "object"
      ? deltaFromOllama(
        line as Record<string, unknown>,
        new OllamaAnswerState(),
      )
      : undefined,
};

/** Templates of Ollama's native stream lines. */
export class LineTemplates extends EventTemplates {
  constructor() {
    super(LINE_POLICY);
  }
}
