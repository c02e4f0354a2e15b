/**
 * The servers the client knows, and in one table what each does differently
 * on the wire. Everything that depends on the server reads this table:
 * where a request puts the reasoning effort, which fields carry the kept
 * reasoning of earlier turns, and how the server counts a prompt.
 *
 * Sources, per row:
 * - vLLM: `reasoning_effort` at the top level (its OpenAI server); assistant
 *   messages' `reasoning` read back since late 2025 (`reasoning_content`
 *   before); its chat path renders gpt-oss with openai-harmony, not the
 *   template (captures vllm/02 and vllm/29: 77 prompt tokens where the
 *   template makes 80), and `POST /tokenize` counts a prompt text.
 * - llama.cpp: the top-level `reasoning_effort` since b10434, only
 *   `chat_template_kwargs.reasoning_effort` before; `reasoning_content` read
 *   back; `POST /apply-template` then `POST /tokenize` (tools/server/README.md).
 * - Ollama (`/v1`): `reasoning_effort` since its gpt-oss release
 *   (ollama#11752); `reasoning` read back; no counting endpoint.
 * - LM Studio: `reasoning_effort` (0.3.25 ignored it for the app's own
 *   setting, lmstudio-bug-tracker#988); `reasoning`; no counting endpoint.
 * - A server not yet known gets every form, since servers ignore fields they
 *   do not know, and both counting endpoints are tried.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";

/**
 * An OpenAI-compatible server that hosts GPT-OSS.
 *
 * @example Naming the server, so that nothing has to be discovered
 * ```ts
 * import { GptOssClient, type ServerKind } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const server: ServerKind = "llamacpp";
 * const client = new GptOssClient({ baseUrl: "http://localhost:8080", server });
 * assert.equal(client.settings.server, "llamacpp");
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

/** What one server does differently on the wire. */
export interface ServerTraits {
  /** The body fields that carry the reasoning effort. */
  readonly effortFields:
    readonly ("reasoning_effort" | "chat_template_kwargs")[];
  /** The message fields that carry an assistant message's kept reasoning. */
  readonly reasoningFields: readonly ("reasoning" | "reasoning_content")[];
  /** The ways the server counts a prompt itself, tried in order. */
  readonly counting: readonly ("vllm" | "llamacpp")[];
  /**
   * How its chat path renders a conversation: the gpt-oss chat template, or
   * openai-harmony (vLLM, whose `/tokenize` of messages uses the template
   * all the same, so it is asked to tokenize the harmony rendering instead).
   */
  readonly renderer: "template" | "vllm";
}

/** Each server's row; `unknown` is a server not (yet) identified. */
export const SERVER_TRAITS: Readonly<
  Record<ServerKind | "unknown", ServerTraits>
> = Object.freeze({
  vllm: {
    effortFields: ["reasoning_effort"],
    reasoningFields: ["reasoning"],
    counting: ["vllm"],
    renderer: "vllm",
  },
  llamacpp: {
    effortFields: ["reasoning_effort", "chat_template_kwargs"],
    reasoningFields: ["reasoning", "reasoning_content"],
    counting: ["llamacpp"],
    renderer: "template",
  },
  ollama: {
    effortFields: ["reasoning_effort"],
    reasoningFields: ["reasoning"],
    counting: [],
    renderer: "template",
  },
  lmstudio: {
    effortFields: ["reasoning_effort"],
    reasoningFields: ["reasoning"],
    counting: [],
    renderer: "template",
  },
  unknown: {
    effortFields: ["reasoning_effort", "chat_template_kwargs"],
    reasoningFields: ["reasoning", "reasoning_content"],
    // A server discovery could not name has shown no counting endpoint.
    counting: [],
    renderer: "template",
  },
});

/** @returns The row of a server, or of an unknown one. */
export function traitsOf(server: ServerKind | undefined): ServerTraits {
  return SERVER_TRAITS[server ?? "unknown"];
}

/** @throws {ConfigError} Unless `value` is one of the known servers. */
export function checkServerKind(field: string, value: unknown): ServerKind {
  if (!SERVER_KINDS.includes(value as ServerKind)) {
    throw new ConfigError(
      field,
      value,
      SERVER_KINDS.map((s) => `"${s}"`).join(", "),
    );
  }
  return value as ServerKind;
}
