/**
 * GPT-OSS's reasoning effort and how each server wants it:
 *
 * - vLLM, Ollama (`/v1`), LM Studio: a top-level `reasoning_effort`. Ollama
 *   reads it since its gpt-oss release (ollama#11752); LM Studio 0.3.25
 *   ignored it in favour of the app's own setting (lmstudio-bug-tracker#988).
 * - llama.cpp: builds from b10434 on read the top-level `reasoning_effort`;
 *   older builds only pass it to the chat template through
 *   `chat_template_kwargs.reasoning_effort`. Both are sent, so that every
 *   build gets it.
 * - an unknown server: both, since servers ignore fields they do not know.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";
import type { ServerKind } from "./servers.ts";

/**
 * How hard GPT-OSS thinks before it answers ("Reasoning: low|medium|high" in
 * its system message).
 *
 * @example Asking for more reasoning
 * ```ts
 * import type { ReasoningEffort } from "@gptoss/client";
 * const effort: ReasoningEffort = "high";
 * ```
 */
export type ReasoningEffort = "low" | "medium" | "high";

/** @throws {ConfigError} Unless `value` is "low", "medium" or "high". */
export function checkReasoningEffort(
  field: string,
  value: unknown,
): ReasoningEffort {
  if (value !== "low" && value !== "medium" && value !== "high") {
    throw new ConfigError(field, value, '"low", "medium" or "high"');
  }
  return value;
}

/**
 * @param effort The effort.
 * @param server The server, when known.
 * @returns The body fields that carry it to that server.
 */
export function reasoningEffortFields(
  effort: ReasoningEffort,
  server: ServerKind | undefined,
): Record<string, unknown> {
  if (server === "vllm" || server === "ollama" || server === "lmstudio") {
    return { reasoning_effort: effort };
  }
  return {
    reasoning_effort: effort,
    chat_template_kwargs: { reasoning_effort: effort },
  };
}
