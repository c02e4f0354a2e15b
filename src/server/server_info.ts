/**
 * What discovery learns about a server, and how each server's answers are
 * read:
 *
 * - vLLM: `GET /v1/models` lists `max_model_len` (`owned_by: "vllm"`).
 * - llama.cpp: `GET /props` has `default_generation_settings.n_ctx`, the
 *   window of one slot (`owned_by: "llamacpp"` in `/v1/models`).
 * - Ollama: `GET /api/ps` has `context_length` of a loaded model (the window
 *   it runs with); `POST /api/show` has `<arch>.context_length` in
 *   `model_info` (the model's maximum).
 * - LM Studio: `GET /api/v0/models` has `loaded_context_length` (when loaded)
 *   and `max_context_length`.
 *
 * Sources: llama.cpp tools/server/README.md; Ollama docs/api.md and
 * api/types.go; LM Studio docs (REST API v0); vLLM's /v1/models answers.
 *
 * @module
 */

import type { ModelInfo } from "./models.ts";
import type { ServerKind } from "../wire/servers.ts";

/**
 * What {@link GptOssClient.discover} found.
 *
 * @example Describing a discovered server
 * ```ts
 * import type { ServerInfo } from "@gptoss/client";
 * const describe = (i: ServerInfo) => `${i.server}: ${i.model} with ${i.contextLength ?? "?"} tokens`;
 * ```
 */
export interface ServerInfo {
  /** The server, or "unknown" when none of the probes answered. */
  server: ServerKind | "unknown";
  /** The models it lists. */
  models: ModelInfo[];
  /** The model the client uses. */
  model?: string;
  /** The context window the model runs with, when the server tells. */
  contextLength?: number;
  /** The most the model supports, when the server tells (Ollama, LM Studio). */
  maxContextLength?: number;
  /** The server's version, when it tells (vLLM's `GET /version`). */
  version?: string;
  /** Whether it serves the Responses API (`/v1/responses`), for `api: "responses"`. */
  responsesApi?: boolean;
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0
    ? value
    : undefined;
}

/** The server a `/v1/models` list names in `owned_by`, if any. */
export function serverFromModels(
  models: readonly ModelInfo[],
): ServerKind | undefined {
  const owners = new Set(models.map((m) => m.owned_by));
  if (owners.has("vllm")) return "vllm";
  if (owners.has("llamacpp")) return "llamacpp";
  // Hints, not proof: a route of the server's own confirms them.
  if (owners.has("library")) return "ollama";
  if (owners.has("organization_owner")) return "lmstudio";
  return undefined;
}

/** vLLM's `max_model_len` of the model. */
export function vllmContext(
  models: readonly ModelInfo[],
  model: string | undefined,
): number | undefined {
  // The configured model's own entry: another model's window says nothing of it.
  const entry = model === undefined
    ? (models.length === 1 ? models[0] : undefined)
    : models.find((m) => m.id === model);
  return positive(entry?.max_model_len);
}

/** llama.cpp's `/props`: the slot's `n_ctx`. */
export function llamaCppContext(props: unknown): number | undefined {
  const settings =
    (props as { default_generation_settings?: { n_ctx?: unknown } } | null)
      ?.default_generation_settings;
  return positive(settings?.n_ctx);
}

/** Whether a `/props` answer is llama.cpp's. */
export function isLlamaCppProps(props: unknown): boolean {
  const p = props as Record<string, unknown> | null;
  return p !== null && typeof p === "object" &&
    (typeof p.default_generation_settings === "object" ||
      typeof p.build_info === "string");
}

/** Ollama's `/api/ps`: the loaded window of the model, and whether the answer is Ollama's. */
export function ollamaLoadedContext(
  ps: unknown,
  model: string | undefined,
): { isOllama: boolean; contextLength?: number } {
  const list = (ps as { models?: unknown } | null)?.models;
  if (!Array.isArray(list)) return { isOllama: false };
  const entry = list.find((m) =>
    (m as { name?: unknown; model?: unknown }).name === model ||
    (m as { model?: unknown }).model === model
  ) as { context_length?: unknown } | undefined;
  const contextLength = positive(entry?.context_length);
  return contextLength ? { isOllama: true, contextLength } : { isOllama: true };
}

/** Ollama's `/api/show`: the model's maximum from `model_info["<arch>.context_length"]`. */
export function ollamaMaxContext(show: unknown): number | undefined {
  const info = (show as { model_info?: Record<string, unknown> } | null)
    ?.model_info;
  if (info === null || typeof info !== "object") return undefined;
  for (const [key, value] of Object.entries(info)) {
    if (key.endsWith(".context_length")) return positive(value);
  }
  return undefined;
}

/** LM Studio's `/api/v0/models`: the loaded and the maximum window of the model. */
export function lmStudioContext(
  list: unknown,
  model: string | undefined,
): { isLmStudio: boolean; contextLength?: number; maxContextLength?: number } {
  const data = (list as { data?: unknown } | null)?.data;
  if (
    !Array.isArray(data) ||
    !data.some((m) => typeof (m as { state?: unknown }).state === "string")
  ) {
    return { isLmStudio: false };
  }
  const entry = data.find((m) => (m as { id?: unknown }).id === model) as
    | { loaded_context_length?: unknown; max_context_length?: unknown }
    | undefined;
  const contextLength = positive(entry?.loaded_context_length);
  const maxContextLength = positive(entry?.max_context_length);
  return {
    isLmStudio: true,
    ...(contextLength ? { contextLength } : {}),
    ...(maxContextLength ? { maxContextLength } : {}),
  };
}
