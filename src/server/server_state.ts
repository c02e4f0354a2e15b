/**
 * What a client learns about its server, once and shared by every request:
 * the model to use, which server it is, and its context window. A lookup in
 * progress is shared; a failed one is tried again by the next request.
 *
 * @module
 */

import { DEFAULT_WINDOW } from "../context/window.ts";
import { discoverServer } from "./discover.ts";
import { servesResponses } from "./responses_probe.ts";
import { ollamaLoadedContext, type ServerInfo } from "./server_info.ts";
import { callServer, type HttpContext, requestJson } from "../http/request.ts";
import type { TimeoutLimits } from "../http/timeouts.ts";
import type { Logger } from "../logger.ts";
import { pickModel, readModelList } from "./models.ts";
import { type ServerKind, traitsOf } from "../wire/servers.ts";
import { untilAborted } from "../http/until_aborted.ts";
import type { Renderer } from "../harmony/prompt.ts";
import { readVllmVersion, vllmRenderer } from "./vllm_version.ts";

/** The smallest window Ollama gives gpt-oss by default (below 23 GiB of VRAM since 0.15.5). */
const OLLAMA_SMALLEST_DEFAULT = 4096;

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
  #responsesProbe: Promise<boolean> | undefined;
  #version: Promise<string | undefined> | undefined;
  #versionFound: string | undefined;
  #warnedFallback = false;
  #answeredSinceLookup = false;
  /** Ollama's window, told after discovery (once the model was loaded). */
  #toldLater: number | undefined;
  #windowInUse: number | undefined;

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

  /**
   * Whether the server serves the Responses API: probed once, the first
   * time it is asked (responses_probe.ts), or known from a request that
   * found the route missing.
   */
  servesResponses(
    timeouts: TimeoutLimits,
    maxRetries: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const { http, root } = this.#options;
    this.#responsesProbe ??= servesResponses({
      http,
      root,
      timeouts,
      maxRetries,
    });
    const probe = this.#responsesProbe;
    return untilAborted(probe, signal).catch((error) => {
      if (this.#responsesProbe === probe) this.#responsesProbe = undefined;
      throw error;
    });
  }

  /** A request found `/v1/responses` missing: no probe is needed. */
  responsesMissing(): void {
    this.#responsesProbe = Promise.resolve(false);
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

  /** The window the server reported, if discovery found it (never a request). */
  get knownWindow(): number | undefined {
    return this.#info?.contextLength ?? this.#toldLater;
  }

  /** An answer arrived: a window Ollama did not tell yet may be told now. */
  answered(): void {
    this.#answeredSinceLookup = true;
  }

  /**
   * The context window: configured, or the server's when "auto" (8192 when
   * it does not tell). Ollama tells only once the model is loaded: until
   * then the window is 4096, the smallest Ollama gives gpt-oss by default,
   * unless the client sets Ollama's window itself (`setsWindow`, its
   * native API); after an answer, `/api/ps` is asked again.
   *
   * @param configured The client's `maxContextSize`.
   * @param signal The call's signal.
   * @param setsWindow Whether the request tells the server its window.
   */
  async contextWindow(
    configured: number | "auto",
    signal?: AbortSignal,
    setsWindow = false,
  ): Promise<number> {
    if (configured !== "auto") return configured;
    const window = await this.#autoWindow(signal, setsWindow);
    this.#windowInUse = window;
    return window;
  }

  /** The window last used for an "auto" request, if any. */
  get windowInUse(): number | undefined {
    return this.#windowInUse;
  }

  async #autoWindow(signal: AbortSignal | undefined, setsWindow: boolean) {
    const info = await this.discover(
      this.#options.timeouts,
      this.#options.maxRetries,
      signal,
    );
    if (
      info.contextLength === undefined && this.#toldLater === undefined &&
      info.server === "ollama" && this.#answeredSinceLookup
    ) {
      await this.#lookUpOllamaWindow(signal);
    }
    const told = info.contextLength ?? this.#toldLater;
    if (told !== undefined) return told;
    const { logger, root } = this.#options;
    if (info.server === "ollama" && !setsWindow) {
      if (!this.#warnedFallback) {
        this.#warnedFallback = true;
        logger.warn(
          `maxContextSize is "auto" but Ollama at ${root} has not loaded ${
            this.#model ?? "the model"
          } yet, so its window is not known: using ${OLLAMA_SMALLEST_DEFAULT} tokens, the smallest Ollama gives gpt-oss by default, until it tells (after the first answer).`,
        );
      }
      return OLLAMA_SMALLEST_DEFAULT;
    }
    if (!this.#warnedFallback) {
      this.#warnedFallback = true;
      logger.warn(
        `maxContextSize is "auto" but ${root} (${info.server}) did not tell its context window; using ${DEFAULT_WINDOW.maxContextSize}. Set maxContextSize to the window the model runs with.`,
      );
    }
    return DEFAULT_WINDOW.maxContextSize;
  }

  /** Ollama's loaded window, from `/api/ps` again. */
  async #lookUpOllamaWindow(signal?: AbortSignal) {
    this.#answeredSinceLookup = false;
    const { http, root, timeouts, maxRetries, logger } = this.#options;
    let ps: unknown;
    try {
      ps = await callServer(
        { http, root, timeouts, maxRetries, ...(signal ? { signal } : {}) },
        "/api/ps",
      );
    } catch {
      return; // still unknown: the fallback serves
    }
    const found = ollamaLoadedContext(ps, this.#model).contextLength;
    if (found !== undefined) {
      this.#toldLater = found;
      logger.info(
        `Ollama at ${root} runs ${
          this.#model ?? "the model"
        } with a window of ${found} tokens; using it from now on.`,
      );
    }
  }
}
