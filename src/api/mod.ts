/**
 * The wire APIs the client can speak, by name. Each lives in its own folder
 * behind the {@link WireApi} boundary; nothing above this layer imports an
 * adapter's files.
 *
 * @module
 */

import { chatCompletionsApi } from "./chat/mod.ts";
import { ollamaChatApi } from "./ollama/mod.ts";
import { responsesApi } from "./responses/mod.ts";
import type { WireApi } from "./wire_api.ts";

/**
 * The wire API a request is sent with: `"chat"`, OpenAI's chat completions
 * (`/v1/chat/completions`, every server); `"responses"`, OpenAI's Responses
 * API (`/v1/responses`: vLLM, Ollama, LM Studio), sent stateless; or
 * `"ollama"`, Ollama's native chat (`/api/chat`), which takes the client's
 * context window.
 *
 * @example Choosing Ollama's native API
 * ```ts
 * import type { ApiName } from "@gptoss/client";
 * const api: ApiName = "ollama";
 * ```
 */
export type ApiName = "chat" | "responses" | "ollama";

/** The names, for checking an option. */
export const API_NAMES: readonly ApiName[] = ["chat", "responses", "ollama"];

const APIS: Readonly<Record<ApiName, WireApi>> = Object.freeze({
  chat: chatCompletionsApi,
  responses: responsesApi,
  ollama: ollamaChatApi,
});

/** @returns The adapter of a wire API. */
export function wireApi(name: ApiName): WireApi {
  return APIS[name];
}

export type { WireApi } from "./wire_api.ts";
