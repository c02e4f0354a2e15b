/**
 * One chat request as every wire API takes it, whatever its body looks like
 * on the wire: the model, the messages, and the model's request fields,
 * checked. The options layer makes it; an adapter (src/api/) writes it.
 *
 * @module
 */

import type { ChatMessage } from "../types.ts";
import type { ReasoningEffort } from "./reasoning_effort.ts";
import type { ResponseFormat } from "./response_format.ts";
import type { ServerKind } from "./servers.ts";
import type { ToolChoice, ToolDefinition } from "./tools.ts";

/** Sampling, in the client's names. */
export interface Sampling {
  temperature: number;
  maxTokens: number;
  topP?: number;
  stop?: string | string[];
  seed?: number;
}

/** The model's request fields, checked: everything about a request but the transport. */
export interface ModelFields {
  /** The model id; found from the server's list when absent. */
  model?: string;
  sampling: Sampling;
  reasoningEffort?: ReasoningEffort;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  /** The Responses API's stored response to continue (`api: "responses"` only). */
  previousResponseId?: string;
  /** Fields sent as they are, merged last. */
  extraBody?: Record<string, unknown>;
}

/** A request ready for an adapter to write. */
export interface ChatRequest extends ModelFields {
  model: string;
  /** The messages to send, fitted and prepared. */
  messages: ChatMessage[];
  stream: boolean;
  /** The server, when known: its traits decide some fields. */
  server?: ServerKind;
  /** The context window the messages were fitted to. */
  contextWindow?: number;
}
