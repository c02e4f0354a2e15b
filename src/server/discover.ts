/**
 * Finds out which server answers and the context window its model runs
 * with, in a few cheap requests: `GET /v1/models` first (vLLM says all there
 * but its version, `GET /version`; `owned_by` names llama.cpp, Ollama's
 * "library" and LM Studio's "organization_owner"), then each server's own
 * route in the order that suggests (llama.cpp's `/props`, Ollama's
 * `/api/ps` and `/api/show`, LM Studio's `/api/v0/models`), stopping at the
 * first that answers as its server. A server that answers none of them is "unknown", not an error; only a
 * server that cannot be reached at all is.
 *
 * @module
 */

import { AbortError, ConnectionError, TimeoutError } from "../errors/mod.ts";
import { callServer, type ServerCall } from "../http/request.ts";
import { type ModelInfo, readModelList } from "./models.ts";
import type { ServerKind } from "../wire/servers.ts";
import {
  isLlamaCppProps,
  llamaCppContext,
  lmStudioContext,
  ollamaLoadedContext,
  ollamaMaxContext,
  serverFromModels,
  type ServerInfo,
  vllmContext,
} from "./server_info.ts";
import { readVllmVersion } from "./vllm_version.ts";

/** What discovery needs: the server, and how to pick the model. */
export interface DiscoveryContext extends ServerCall {
  /** The configured model, if any. */
  model?: string;
  /** Picks the model from the list (throws when it cannot). */
  pickModel: (models: ModelInfo[]) => string;
}

/**
 * @returns What the server is and the window of its model.
 * @throws {ConnectionError|TimeoutError|AbortError} When the server cannot be reached at all.
 */
export async function discoverServer(
  context: DiscoveryContext,
): Promise<ServerInfo> {
  // A probe that fails for any reason but the transport just says "not this server".
  const probe = (path: string, body?: unknown) =>
    callServer(context, path, body).catch((error) => {
      if (isTransportFailure(error)) throw error;
      return undefined;
    });

  let models: ModelInfo[] = [];
  const listed = await probe("/v1/models");
  if (listed !== undefined) {
    try {
      models = readModelList(listed, "");
    } catch { /* not a model list: no models */ }
  }
  let model = context.model;
  if (model === undefined && models.length > 0) {
    try {
      model = context.pickModel(models);
    } catch { /* ambiguous: discovery still tells what it can */ }
  }
  const base = { models, ...(model ? { model } : {}) };
  const hint = serverFromModels(models);
  if (hint === "vllm") {
    const version = readVllmVersion(await probe("/version"));
    return withContext(
      { ...base, server: "vllm", ...(version ? { version } : {}) },
      vllmContext(models, model),
    );
  }
  // Each server's own route, in the order the model list suggests, until
  // one answers as that server: no route is asked that need not be.
  const tries: Record<
    Exclude<ServerKind, "vllm">,
    () => Promise<ServerInfo | undefined>
  > = {
    llamacpp: async () => {
      const props = await probe("/props");
      return hint === "llamacpp" || isLlamaCppProps(props)
        ? withContext({ ...base, server: "llamacpp" }, llamaCppContext(props))
        : undefined;
    },
    ollama: async () => {
      const ollama = ollamaLoadedContext(await probe("/api/ps"), model);
      if (!ollama.isOllama) return undefined;
      const info = withContext(
        { ...base, server: "ollama" },
        ollama.contextLength,
      );
      if (model !== undefined) {
        const max = ollamaMaxContext(await probe("/api/show", { model }));
        if (max) info.maxContextLength = max;
      }
      return info;
    },
    lmstudio: async () => {
      const studio = lmStudioContext(await probe("/api/v0/models"), model);
      if (!studio.isLmStudio) return undefined;
      const info = withContext(
        { ...base, server: "lmstudio" },
        studio.contextLength,
      );
      if (studio.maxContextLength) {
        info.maxContextLength = studio.maxContextLength;
      }
      return info;
    },
  };
  const order: Exclude<ServerKind, "vllm">[] = [
    "llamacpp",
    "ollama",
    "lmstudio",
  ];
  if (hint) order.unshift(...order.splice(order.indexOf(hint), 1));
  for (const server of order) {
    const info = await tries[server]();
    if (info) return info;
  }
  return withContext(
    { ...base, server: "unknown" },
    vllmContext(models, model),
  );
}

function withContext(
  info: ServerInfo,
  contextLength: number | undefined,
): ServerInfo {
  if (contextLength !== undefined) info.contextLength = contextLength;
  return info;
}

function isTransportFailure(error: unknown): boolean {
  return error instanceof ConnectionError || error instanceof TimeoutError ||
    error instanceof AbortError;
}
