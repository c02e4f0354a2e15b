/**
 * What a client learns about its server, once and shared by every request:
 * the model to use, which server it is, and its context window. A lookup in
 * progress is shared; a failed one is tried again by the next request.
 *
 * @module
 */

import { DEFAULT_WINDOW } from "../context/window.ts";
import { discoverServer } from "./discover.ts";
import type { ServerInfo } from "./server_info.ts";
import { type HttpContext, requestJson } from "../http/request.ts";
import type { TimeoutLimits } from "../http/timeouts.ts";
import type { Logger } from "../logger.ts";
import { pickModel, readModelList } from "./models.ts";
import { type ServerKind, traitsOf } from "../wire/servers.ts";
import { untilAborted } from "../http/until_aborted.ts";
import type { Renderer } from "../harmony/prompt.ts";
import { readVllmVersion, vllmRenderer } from "./vllm_version.ts";

/** What the state needs from the client. */
export interface ServerStateOptions {
  http: HttpContext;
  root: string;
  logger: Logger;
  /** Milliseconds for each lookup request. */
  timeouts: TimeoutLimits;
  /** Retries for the lookups it makes on a request's behalf. */
  maxRetries: number;
  /** The configured model and server, if any. */
  model?: string;
  server?: ServerKind;
}

/** The model, the server and its window, looked up once. */
export class ServerState {
  readonly #options: ServerStateOptions;
  #model: string | undefined;
  #modelLookup: Promise<string> | undefined;
  #info: ServerInfo | undefined;
  #discovery: Promise<ServerInfo> | undefined;
  #version: Promise<string | undefined> | undefined;
  #versionFound: string | undefined;
  #warnedFallback = false;

  /** @param options The client's HTTP context, address, logger and configured values. */
  constructor(options: ServerStateOptions) {
    this.#options = options;
    this.#model = options.model;
  }

  /** The model, when configured or found. */
  get model(): string | undefined {
    return this.#model;
  }

  /** The server: configured, or discovered earlier (never a request of its own). */
  get server(): ServerKind | undefined {
    if (this.#options.server) return this.#options.server;
    const found = this.#info?.server;
    return found === undefined || found === "unknown" ? undefined : found;
  }

  /** Discovers the server once; shares the lookup in progress. */
  discover(
    timeouts: TimeoutLimits,
    maxRetries: number,
    signal?: AbortSignal,
  ): Promise<ServerInfo> {
    const { http, root, logger } = this.#options;
    this.#discovery ??= discoverServer({
      http,
      root,
      timeouts,
      maxRetries,
      ...(this.#model ? { model: this.#model } : {}),
      pickModel: (models) => pickModel(models, root),
    }).then((info) => {
      this.#info = info;
      this.#model ??= info.model;
      this.#versionFound ??= info.version;
      logger.info(
        `Discovered ${info.server} at ${root}: model ${
          info.model ?? "?"
        }, context window ${info.contextLength ?? "not told"}.`,
      );
      return info;
    });
    const discovery = this.#discovery;
    return untilAborted(discovery, signal).catch((error) => {
      if (this.#discovery === discovery && !this.#info) {
        this.#discovery = undefined;
      }
      throw error;
    });
  }

  /**
   * How the server's chat path renders a conversation, as far as it is
   * known now (never a request): the chat template, or on vLLM the
   * rendering of its version (the latest release's until it is known).
   */
  get renderer(): Renderer {
    if (traitsOf(this.server).renderer !== "vllm") return "template";
    return vllmRenderer(this.#versionFound) ?? "vllm";
  }

  /** vLLM's version, if discovery or an earlier lookup found it (never a request). */
  get knownVersion(): string | undefined {
    return this.#versionFound;
  }

  /**
   * vLLM's version, from `GET /version`, asked once (discovery asks it
   * too); `undefined` when the server does not say.
   */
  async vllmVersion(
    timeouts: TimeoutLimits,
    maxRetries: number,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    if (this.#versionFound !== undefined) return this.#versionFound;
    const { http, root } = this.#options;
    this.#version ??= requestJson(http, {
      method: "GET",
      url: `${root}/version`,
      timeouts,
      maxRetries,
    }).then(
      ({ body }) => this.#versionFound ??= readVllmVersion(body),
      () => undefined,
    );
    return await untilAborted(this.#version, signal);
  }

  /** The model for a request: given, configured, or found once from `GET /v1/models`. */
  async resolveModel(
    requested: string | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    if (requested) return requested;
    if (this.#model) return this.#model;
    const { http, root, logger, timeouts, maxRetries } = this.#options;
    this.#modelLookup ??= requestJson(http, {
      method: "GET",
      url: `${root}/v1/models`,
      timeouts,
      maxRetries,
    })
      .then(({ body, raw }) => {
        const id = pickModel(readModelList(body, raw), root);
        this.#model = id;
        logger.info(
          `Using model ${JSON.stringify(id)}, the one ${root} serves.`,
        );
        return id;
      });
    const lookup = this.#modelLookup;
    try {
      return await untilAborted(lookup, signal);
    } catch (error) {
      if (this.#modelLookup === lookup && !this.#model) {
        this.#modelLookup = undefined;
      }
      throw error;
    }
  }

  /** The context window: configured, or the server's when "auto" (8192 when it does not tell). */
  async contextWindow(
    configured: number | "auto",
    signal?: AbortSignal,
  ): Promise<number> {
    if (configured !== "auto") return configured;
    const info = await this.discover(
      this.#options.timeouts,
      this.#options.maxRetries,
      signal,
    );
    if (info.contextLength !== undefined) return info.contextLength;
    if (!this.#warnedFallback) {
      this.#warnedFallback = true;
      this.#options.logger.warn(
        `maxContextSize is "auto" but ${this.#options.root} (${info.server}) did not tell its context window; using ${DEFAULT_WINDOW.maxContextSize}. Set maxContextSize to the window the model runs with.`,
      );
    }
    return DEFAULT_WINDOW.maxContextSize;
  }
}
