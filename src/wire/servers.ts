/**
 * The servers the client knows, by their wire habits.
 *
 * @module
 */

/**
 * An OpenAI-compatible server that hosts GPT-OSS.
 *
 * @example Naming a server
 * ```ts
 * import type { ServerKind } from "@gptoss/client";
 * const server: ServerKind = "llamacpp";
 * ```
 */
export type ServerKind = "vllm" | "ollama" | "llamacpp" | "lmstudio";

/** Every {@link ServerKind}, for checks and messages. */
export const SERVER_KINDS: readonly ServerKind[] = Object.freeze([
  "vllm",
  "ollama",
  "llamacpp",
  "lmstudio",
]);
