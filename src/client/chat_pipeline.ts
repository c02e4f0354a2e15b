/**
 * One chat request from the caller's messages to the server's answer, the
 * same path for a whole answer and a stream: options merged over the
 * client's, messages checked, the window found, the conversation fitted to
 * it, the model found, the body written by the wire API, the request sent,
 * and the answer read by the same wire API.
 *
 * @module
 */

import { type WireApi, wireApi } from "../api/mod.ts";
import { type FittedMessages, fitToContext } from "../context/fit.ts";
import { assertValidHistory } from "../context/history_scan.ts";
import {
  type HttpContext,
  type HttpRequest,
  openRequest,
  requestJson,
} from "../http/request.ts";
import { isCredentialHeader, type Redactor } from "../redact.ts";
import type { ClientConfig } from "../options/client_config.ts";
import { REQUEST_KEYS, type RequestOptions } from "../options/options.ts";
import {
  type ResolvedOptions,
  resolveOptions,
  type Transport,
} from "../options/resolve.ts";
import type { ServerState } from "../server/server_state.ts";
import type { ChatStream } from "../stream/chat_stream.ts";
import { finishCompletion } from "../stream/stats.ts";
import { serverTruncation } from "../context/server_truncation.ts";
import { explainServerTruncation } from "../server/truncation_advice.ts";
import { isResponsesRouteMissing } from "../server/responses_probe.ts";
import { ConfigError } from "../errors/mod.ts";
import { StreamedCompletion } from "../stream/streamed_completion.ts";
import type { ChatCompletion, ChatMessage } from "../types.ts";

/** Sends chat requests for one client. */
export class ChatPipeline {
  readonly #config: ClientConfig;
  readonly #state: ServerState;
  #warnedCut = false;

  /**
   * @param config The client's resolved configuration.
   * @param state What the client knows of its server.
   */
  constructor(config: ClientConfig, state: ServerState) {
    this.#config = config;
    this.#state = state;
  }

  /** Sends a conversation and reads the whole answer. */
  async generate(
    messages: ChatMessage[],
    options: RequestOptions | undefined,
  ): Promise<ChatCompletion> {
    const request = this.#resolve(options);
    const { http, redactor } = this.#callOf(request.transport);
    try {
      const startedAt = performance.now();
      const early = this.#checkAndFit(messages, request);
      const api = wireApi(request.transport.api);
      const { body, fitted } = await this.#prepare(
        messages,
        request,
        api,
        false,
        early,
      );
      const url = `${this.#config.root}${api.path}`;
      const { body: answer, raw } = await requestJson(
        http,
        this.#post(url, body, request.transport),
      ).catch((error) => {
        throw this.#explain(error, api);
      });
      const completion = api.reader.whole(answer, raw, {
        status: 200,
        url,
      }, this.#config);
      const finished = finishCompletion(
        completion,
        { startedAt, endedAt: performance.now() },
        fitted.truncation,
      );
      this.#review(fitted)(finished);
      return finished;
    } catch (error) {
      throw redactor.error(error);
    }
  }

  /**
   * Checks the call at once (a malformed message, a wrong option, a
   * conversation that cannot fit a known window), and returns the stream;
   * the request starts when it is first read.
   */
  stream(
    messages: ChatMessage[],
    options: RequestOptions | undefined,
  ): ChatStream {
    const request = this.#resolve(options);
    const early = this.#checkAndFit(messages, request);
    const api = wireApi(request.transport.api);
    const { http, redactor } = this.#callOf(request.transport);
    const { splitHarmony } = this.#config;
    const url = `${this.#config.root}${api.path}`;
    return new StreamedCompletion({
      open: async (stop) => {
        // The caller leaving ends the request, as the caller's own signal does.
        const { signal } = request.transport;
        const transport = {
          ...request.transport,
          signal: signal ? AbortSignal.any([signal, stop]) : stop,
        };
        const started = { ...request, transport };
        const { body, fitted } = await this.#prepare(
          messages,
          started,
          api,
          true,
          early,
        );
        const opened = await openRequest(http, {
          ...this.#post(url, body, transport),
          accept: api.streamAccept,
        }).catch((error) => {
          throw this.#explain(error, api);
        });
        return {
          ...opened,
          ...(fitted.truncation ? { truncation: fitted.truncation } : {}),
          review: this.#review(fitted),
        };
      },
      url,
      reader: api.reader,
      ...(early?.truncation ? { truncation: early.truncation } : {}),
      scrub: (error) => redactor.error(error),
      splitHarmony,
      maxResponseBytes: http.maxResponseBytes ?? Infinity,
    });
  }

  /**
   * What the client adds to an answer once it has it: whether the server
   * read clearly fewer prompt tokens than were sent (a cut it did not
   * report; warned of once per client), and that an answer came.
   */
  #review(fitted: FittedMessages): (completion: ChatCompletion) => void {
    return (completion) => {
      this.#state.answered();
      const cut = serverTruncation(
        {
          tokens: fitted.promptTokens,
          exact: this.#config.tokenizer.exact === true,
        },
        completion.usage?.prompt_tokens,
        this.#state.knownWindow,
      );
      if (!cut) return;
      completion.serverTruncated = cut;
      if (this.#warnedCut) return;
      this.#warnedCut = true;
      this.#config.http.logger.warn(
        explainServerTruncation(cut, this.#state.server),
        { ...cut },
      );
    };
  }

  /**
   * What one call sends and hides: a call's own credential headers are
   * secrets too, kept out of its errors and of the log lines about it.
   */
  #callOf(transport: Transport): { http: HttpContext; redactor: Redactor } {
    const { http, redactor } = this.#config;
    const secrets = Object.entries(transport.headers)
      .filter(([name]) => isCredentialHeader(name))
      .map(([, value]) => value.replace(/^(Bearer|Basic) /i, ""));
    if (secrets.length === 0) return { http, redactor };
    const call = redactor.with(secrets);
    return {
      http: { ...http, logger: call.logger(http.logger) },
      redactor: call,
    };
  }

  /** A server without the wire API's route: a configuration to change, said so. */
  #explain(error: unknown, api: WireApi): unknown {
    if (api.name !== "responses" || !isResponsesRouteMissing(error)) {
      return error;
    }
    this.#state.responsesMissing();
    return new ConfigError(
      "api",
      "responses",
      '"chat"',
      `api: "responses" needs a server that serves /v1/responses, and ${this.#config.root} answered ${
        (error as { status: number }).status
      } there (vLLM serves it, Ollama from 0.13.3, LM Studio from 0.3.29). Use api: "chat", which every server speaks, or upgrade the server.`,
    );
  }

  /** The chat request's HTTP side: its body and its transport. */
  #post(url: string, body: unknown, transport: Transport): HttpRequest {
    return {
      method: "POST",
      url,
      body,
      timeouts: transport.timeout,
      maxRetries: transport.maxRetries,
      retryOutputParseFailure: transport.retryParseFailures,
      headers: transport.headers,
      ...(transport.signal ? { signal: transport.signal } : {}),
    };
  }

  #resolve(options: RequestOptions | undefined): ResolvedOptions {
    return resolveOptions(
      "options",
      options,
      REQUEST_KEYS,
      this.#config.defaults,
    );
  }

  /** Everything a request needs that may take a request of its own: the window, the model, the body. */
  async #prepare(
    messages: ChatMessage[],
    request: ResolvedOptions,
    api: WireApi,
    stream: boolean,
    fitted?: FittedMessages,
  ): Promise<{ body: Record<string, unknown>; fitted: FittedMessages }> {
    const { signal } = request.transport;
    let window = this.#config.maxContextSize;
    if (!fitted) {
      window = await this.#state.contextWindow(
        this.#config.maxContextSize,
        signal,
        api.setsWindow,
      );
      fitted = this.#fit(messages, request, window);
    }
    const model = await this.#state.resolveModel(request.model.model, signal);
    const body = api.body({
      ...request.model,
      model,
      messages: fitted.messages,
      stream,
      ...(this.#state.server ? { server: this.#state.server } : {}),
      ...(typeof window === "number" ? { contextWindow: window } : {}),
    });
    return { body, fitted };
  }

  /**
   * The caller's messages checked before any request, and fitted at once
   * when the window is configured. The fitting checks whole each message it
   * reads, which is every message sent, so a long history costs what its
   * newest turns do (the older ones' roles are read once per array). With
   * "auto" the window is known only once the server has told it: every
   * message is checked whole here.
   */
  #checkAndFit(
    messages: ChatMessage[],
    request: ResolvedOptions,
  ): FittedMessages | undefined {
    const window = this.#config.maxContextSize;
    if (window === "auto") {
      assertValidHistory(messages);
      return undefined;
    }
    assertValidHistory(messages, false);
    return this.#fit(messages, request, window);
  }

  /** Earlier turns' reasoning dropped, then the window fitted. */
  #fit(
    messages: ChatMessage[],
    request: ResolvedOptions,
    window: number,
  ): FittedMessages {
    const { tools, reasoningEffort } = request.model;
    return fitToContext(messages, {
      maxContextSize: window,
      maxTokens: request.model.sampling.maxTokens,
      tokenizer: this.#config.tokenizer,
      template: {
        ...(tools ? { tools } : {}),
        ...(reasoningEffort ? { reasoningEffort } : {}),
        // Counted as the server's chat path renders it (vLLM: its release's).
        renderer: this.#state.renderer,
      },
      policy: request.policy,
      logger: this.#config.http.logger,
    });
  }
}
