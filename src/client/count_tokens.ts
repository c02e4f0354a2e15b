/**
 * Counts a conversation's prompt tokens for the client: on the server where
 * it can count (vLLM, llama.cpp), else locally with the client's tokenizer,
 * with the same preparation as a request (earlier turns' reasoning dropped).
 *
 * @module
 */

import { checkBoolean } from "../options/config.ts";
import { countMessageTokens } from "../context/count.ts";
import type { Tokenizer } from "../context/tokenizer.ts";
import type { Logger } from "../logger.ts";
import type { ReasoningEffort } from "../wire/reasoning_effort.ts";
import { resolveTemplateOptions } from "../options/request_options.ts";
import { countOnServer, type ServerCountRequest } from "../server/server_count.ts";
import type { ServerKind } from "../wire/servers.ts";
import type { TimeoutSettings } from "../http/timeouts.ts";
import type { ToolDefinition } from "../wire/tools.ts";

/**
 * Options for `GptOssClient.countTokens`.
 *
 * @example Counting locally at high effort
 * ```ts
 * import type { CountTokensOptions } from "@gptoss/client";
 * const options: CountTokensOptions = { reasoningEffort: "high", local: true };
 * ```
 */
export interface CountTokensOptions {
  /** The model; the client's by default. */
  model?: string;
  /** The tools the request will send: they are part of the prompt. */
  tools?: ToolDefinition[];
  /** The reasoning effort the request will ask for. */
  reasoningEffort?: ReasoningEffort;
  /** Count earlier turns' reasoning too, as a request with `keepReasoning` sends it. */
  keepReasoning?: boolean;
  /** Count locally even when the server could. Default `false`. */
  local?: boolean;
  /** Cancels the count. */
  signal?: AbortSignal;
  /** Milliseconds to wait for each answer, or `{ headers, idle, total }`. */
  timeout?: number | TimeoutSettings;
  /** Retries after a connection failure or a busy status. */
  maxRetries?: number;
}

/**
 * A conversation's prompt tokens and who counted them.
 *
 * @example Reporting a token count
 * ```ts
 * import type { TokenCount } from "@gptoss/client";
 * const say = (c: TokenCount) => `${c.promptTokens} tokens (${c.exact ? "exact" : "estimated"}, ${c.source})`;
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

/** What the count needs from the client. */
export interface TokenCountContext
  extends Omit<ServerCountRequest, "tools" | "reasoningEffort"> {
  tokenizer: Tokenizer;
  logger: Logger;
  /** The server, when known; `undefined` to try every endpoint. */
  server: ServerKind | undefined;
  local: boolean;
  tools?: readonly ToolDefinition[];
  reasoningEffort?: ReasoningEffort;
}

/**
 * @param context The prepared conversation, the connection and the tokenizer.
 * @returns The server's count, or the local one where the server cannot count.
 * @throws {GptOssError} When the server fails for another reason than having
 * no counting endpoint.
 */
export async function countPromptTokens(
  context: TokenCountContext,
): Promise<TokenCount> {
  if (!context.local) {
    const counted = await countOnServer(context.server, context);
    if (counted) {
      return {
        promptTokens: counted.promptTokens,
        source: counted.server,
        exact: true,
        ...(counted.maxContextSize === undefined
          ? {}
          : { maxContextSize: counted.maxContextSize }),
      };
    }
    context.logger.debug(
      "The server has no token counting endpoint; counting locally.",
    );
  }
  const exact = context.tokenizer.exact === true;
  return {
    promptTokens: countMessageTokens(context.messages, {
      tokenizer: context.tokenizer,
      ...(context.tools ? { tools: context.tools } : {}),
      ...(context.reasoningEffort
        ? { reasoningEffort: context.reasoningEffort }
        : {}),
    }),
    source: exact ? "tokenizer" : "estimate",
    exact,
  };
}

/** {@link CountTokensOptions} checked and merged with the client's defaults. */
export interface ResolvedCountOptions {
  local: boolean;
  tools?: ToolDefinition[];
  reasoningEffort?: ReasoningEffort;
  keepReasoning: boolean;
}

/**
 * @param options The caller's options.
 * @param defaults The client's reasoning effort and reasoning policy.
 * @returns The options, checked.
 * @throws {ConfigError} For a wrong value.
 */
export function resolveCountTokensOptions(
  options: CountTokensOptions,
  defaults: { reasoningEffort?: ReasoningEffort; keepReasoning: boolean },
): ResolvedCountOptions {
  const { tools, reasoningEffort } = resolveTemplateOptions(
    options,
    defaults.reasoningEffort,
  );
  return {
    local: options.local === undefined
      ? false
      : checkBoolean("options.local", options.local),
    ...(tools ? { tools } : {}),
    ...(reasoningEffort ? { reasoningEffort } : {}),
    keepReasoning: options.keepReasoning === undefined
      ? defaults.keepReasoning
      : checkBoolean("options.keepReasoning", options.keepReasoning),
  };
}
