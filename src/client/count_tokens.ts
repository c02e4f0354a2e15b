/**
 * Counts a conversation's prompt tokens for the client: on the server where
 * it can count (vLLM, llama.cpp), else locally with the client's tokenizer,
 * with the same preparation as a request (earlier turns' reasoning dropped).
 *
 * @module
 */

import { checkBoolean } from "../checks.ts";
import { messageTokenCounts } from "../context/count.ts";
import { prepareHistory } from "../context/history.ts";
import type { ClientConfig } from "../options/client_config.ts";
import { COUNT_KEYS, type CountTokensOptions } from "../options/options.ts";
import { resolveOptions } from "../options/resolve.ts";
import { countOnServer } from "../server/server_count.ts";
import type { ServerState } from "../server/server_state.ts";
import type { ChatMessage } from "../types.ts";
import { assertValidMessages } from "../wire/messages.ts";
import { traitsOf } from "../wire/servers.ts";
import { sameOnEveryVllm, VLLM_RENDERERS } from "../harmony/harmony_path.ts";
import type { Renderer } from "../harmony/prompt.ts";
import { vllmRenderer } from "../server/vllm_version.ts";

/**
 * A conversation's prompt tokens and who counted them.
 *
 * @example Reporting a token count
 * ```ts
 * import { GptOssClient, type TokenCount } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * const say = (c: TokenCount) => `${c.promptTokens} tokens (${c.exact ? "exact" : "estimated"}, ${c.source})`;
 * await using server = await startMockServer({ counting: "vllm" });
 * const count = await new GptOssClient({ baseUrl: server.url }).countTokens([{ role: "user", content: "Hi" }]);
 * assert.match(say(count), /^\d+ tokens \(exact, vllm\)$/);
 * ```
 */
export interface TokenCount {
  /** The prompt's tokens, template included. */
  promptTokens: number;
  /**
   * Who counted: `"vllm"` or `"llamacpp"` (the server itself), `"tokenizer"`
   * (the exact tokenizer you configured), or `"estimate"` (the built-in estimator).
   */
  source: "vllm" | "llamacpp" | "tokenizer" | "estimate";
  /** Whether the count is the model's own rather than an estimate. */
  exact: boolean;
  /** The context window the server reported along with the count (vLLM's `max_model_len`). */
  maxContextSize?: number;
}

/**
 * @param config The client's configuration.
 * @param state What the client knows of its server.
 * @param messages The conversation.
 * @param options The caller's options.
 * @returns The server's count, or the local one where the server cannot count.
 * @throws {InvalidMessageError|ConfigError} For a malformed message or option.
 * @throws {GptOssError} When the server fails for another reason than having
 * no counting endpoint.
 */
export async function countTokens(
  config: ClientConfig,
  state: ServerState,
  messages: ChatMessage[],
  options: CountTokensOptions,
): Promise<TokenCount> {
  assertValidMessages(messages);
  const resolved = resolveOptions(
    "options",
    options,
    COUNT_KEYS,
    config.defaults,
  );
  const local = options.local === undefined
    ? false
    : checkBoolean("options.local", options.local);
  const { transport, model } = resolved;
  const prepared = prepareHistory(messages, resolved.policy.keepReasoning);
  const template = {
    ...(model.tools ? { tools: model.tools } : {}),
    ...(model.reasoningEffort
      ? { reasoningEffort: model.reasoningEffort }
      : {}),
  };
  let server = state.server;
  if (!local && !server) {
    // Knowing the server saves a probe of an endpoint it does not have.
    const info = await state.discover(
      transport.timeout,
      transport.maxRetries,
      transport.signal,
    );
    server = info.server === "unknown" ? undefined : info.server;
  }
  const onVllm = traitsOf(server).renderer === "vllm";
  // vLLM's rendering changed between releases: its version says which.
  const renderer: Renderer | undefined = !onVllm ? "template" : vllmRenderer(
    local ? state.knownVersion : await state.vllmVersion(
      transport.timeout,
      transport.maxRetries,
      transport.signal,
    ),
  );
  const { tokenizer } = config;
  // Counted here, a count is vLLM's own when its rendering is known, or
  // when every release renders this conversation alike.
  const rendererKnown = renderer !== undefined ||
    sameOnEveryVllm(prepared, template);
  const countHere = local || (tokenizer.exact === true && rendererKnown);
  if (!countHere) {
    const name = model.model ?? state.model;
    const counted = await countOnServer(server, {
      http: config.http,
      root: config.root,
      timeouts: transport.timeout,
      maxRetries: transport.maxRetries,
      messages: prepared,
      ...template,
      ...(name ? { model: name } : {}),
      ...(renderer && renderer !== "template" ? { renderer } : {}),
      ...(transport.signal ? { signal: transport.signal } : {}),
    });
    if (counted && (counted.exact || !tokenizer.exact)) {
      return {
        promptTokens: counted.promptTokens,
        source: counted.server,
        exact: counted.exact,
        ...(counted.maxContextSize === undefined
          ? {}
          : { maxContextSize: counted.maxContextSize }),
      };
    }
    if (!counted) {
      config.http.logger.debug(
        "The server has no token counting endpoint; counting locally.",
      );
    }
  }
  const exact = tokenizer.exact === true && rendererKnown;
  return {
    promptTokens: messageTokenCounts(prepared, tokenizer, {
      ...template,
      renderer: renderer ?? VLLM_RENDERERS[0],
    }).total,
    source: tokenizer.exact ? "tokenizer" : "estimate",
    exact,
  };
}
