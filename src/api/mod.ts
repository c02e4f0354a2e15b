/**
 * The wire APIs the client can speak, by name. Each lives in its own folder
 * behind the {@link WireApi} boundary; nothing above this layer imports an
 * adapter's files.
 *
 * @module
 */

import { chatCompletionsApi } from "./chat/mod.ts";
import type { WireApi } from "./wire_api.ts";

/** The name of a wire API. */
export type ApiName = "chat";

const APIS: Readonly<Record<ApiName, WireApi>> = Object.freeze({
  chat: chatCompletionsApi,
});

/** @returns The adapter of a wire API. */
export function wireApi(name: ApiName): WireApi {
  return APIS[name];
}

export type { WireApi } from "./wire_api.ts";
