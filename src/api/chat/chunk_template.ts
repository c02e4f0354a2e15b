/**
 * The chat completion stream's templates (stream/event_template.ts): which
 * values of a `chat.completion.chunk` may be holes (the delta's strings,
 * llama.cpp's `timings`, `created`), and how a chunk becomes a delta.
 *
 * @module
 */

import {
  EventTemplates,
  type EventValue,
  type HoleUse,
  type TemplatePolicy,
} from "../../stream/event_template.ts";
import { deltaFromChunk } from "./chunk.ts";

const CHUNK_POLICY: TemplatePolicy = {
  use(value: EventValue): HoleUse | undefined {
    const { path, kind } = value;
    if (kind === "string") {
      if (!path.startsWith("choices.0.delta.")) return undefined;
      const key = path.slice(path.lastIndexOf(".") + 1);
      return key === "role" || key === "type" ? undefined : "delta";
    }
    if (path === "created") return "ignored";
    if (path.startsWith("timings.") && path.indexOf(".", 8) === -1) {
      return "timing";
    }
    return undefined;
  },
  delta: deltaFromChunk,
  // A one-line event, `data:` and one optional space, then its blank line.
  framing: { before: "data: ?", after: String.raw`\n\n` },
};

/** Templates of a chat completion stream's chunks. */
export class ChunkTemplates extends EventTemplates {
  constructor() {
    super(CHUNK_POLICY);
  }
}
