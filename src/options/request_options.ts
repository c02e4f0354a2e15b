/**
 * Per-call options: any sampling field of the configuration can be
 * overridden for one request, checked with the same rules, plus what only
 * makes sense per call (tools, a response format, a signal).
 *
 * @module
 */

import {
  resolveTimeouts,
  type Timeouts,
  type TimeoutSettings,
} from "../http/timeouts.ts";
import {
  checkBoolean,
  checkContextOverflow,
  checkHeaders,
  checkKnownKeys,
  checkNonEmptyString,
  checkNonNegativeInteger,
  checkPositiveInteger,
  checkRange,
  type ContextOverflow,
} from "./config.ts";
import type { ClientDefaults } from "./client_config.ts";
import { ConfigError } from "../errors/mod.ts";
import {
  checkReasoningEffort,
  type ReasoningEffort,
} from "../wire/reasoning_effort.ts";
import { checkResponseFormat, type ResponseFormat } from "../wire/response_format.ts";
import {
  checkToolChoice,
  checkTools,
  type ToolChoice,
  type ToolDefinition,
} from "../wire/tools.ts";

/**
 * Options for one request; each overrides the client's configuration.
 *
 * @example A deterministic, short answer with little reasoning
 * ```ts
 * import type { RequestOptions } from "@gptoss/client";
 * const options: RequestOptions = { temperature: 0, maxTokens: 256, seed: 1, reasoningEffort: "low" };
 * ```
 */
export interface RequestOptions {
  /** The model id. */
  model?: string;
  /** Sampling temperature, 0 to 2. */
  temperature?: number;
  /** The most tokens to generate, reasoning included. */
  maxTokens?: number;
  /** Nucleus sampling, 0 to 1. */
  topP?: number;
  /** Text that ends generation. */
  stop?: string | string[];
  /** A seed for reproducible sampling, where the server supports it. */
  seed?: number;
  /** How hard the model thinks: "low", "medium" or "high". */
  reasoningEffort?: ReasoningEffort;
  /** Send the reasoning of earlier turns back too (by default it is dropped). */
  keepReasoning?: boolean;
  /** When old turns must go, keep the first user message (the task) too. */
  keepFirstUserMessage?: boolean;
  /** Functions the model may call. */
  tools?: ToolDefinition[];
  /** Whether and which tool the model must call. */
  toolChoice?: ToolChoice;
  /** The shape the answer must have (JSON, a JSON schema). */
  responseFormat?: ResponseFormat;
  /** Milliseconds to wait for the headers, then for each piece of a stream; or `{ headers, idle, total }`. */
  timeout?: number | TimeoutSettings;
  /** Retries after a connection failure or a busy status, for this call. */
  maxRetries?: number;
  /** What to do when the conversation does not fit the context window. */
  contextOverflow?: ContextOverflow;
  /** Cancels the request. */
  signal?: AbortSignal;
  /** Extra headers for this request. */
  headers?: Record<string, string>;
  /** Extra fields for the request body, sent as they are (server-specific options). */
  extraBody?: Record<string, unknown>;
}

const OPTION_KEYS: ReadonlySet<string> = new Set([
  "model",
  "temperature",
  "maxTokens",
  "topP",
  "stop",
  "seed",
  "reasoningEffort",
  "keepReasoning",
  "keepFirstUserMessage",
  "tools",
  "toolChoice",
  "responseFormat",
  "timeout",
  "maxRetries",
  "contextOverflow",
  "signal",
  "headers",
  "extraBody",
]);

/**
 * Checks the two per-call options that change what the chat template renders,
 * shared by requests and token counts.
 *
 * @param options The call's `tools` and `reasoningEffort`.
 * @param defaultEffort The client's reasoning effort, when set.
 * @returns The tools, checked, and the effort that applies.
 * @throws {ConfigError} For a wrong value.
 */
export function resolveTemplateOptions(
  options: { tools?: unknown; reasoningEffort?: unknown },
  defaultEffort: ReasoningEffort | undefined,
): { tools?: ToolDefinition[]; reasoningEffort?: ReasoningEffort } {
  return {
    tools: options.tools === undefined
      ? undefined
      : checkTools("options.tools", options.tools),
    reasoningEffort: options.reasoningEffort === undefined
      ? defaultEffort
      : checkReasoningEffort(
        "options.reasoningEffort",
        options.reasoningEffort,
      ),
  };
}

/** The client's values that per-call options override. */
export type RequestDefaults = Omit<ClientDefaults, "maxContextSize"> & {
  model?: string;
};

/** Options checked and merged with the client's values. */
export interface ResolvedRequest {
  model?: string;
  maxTokens: number;
  timeout: Timeouts;
  maxRetries: number;
  contextOverflow: ContextOverflow;
  keepReasoning: boolean;
  keepFirstUserMessage: boolean;
  reasoningEffort?: ReasoningEffort;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  signal?: AbortSignal;
  headers: Record<string, string>;
  /** Sampling fields in the wire's names. */
  sampling: Record<string, unknown>;
  extraBody?: Record<string, unknown>;
}

/**
 * @param options The caller's options.
 * @param defaults The client's values.
 * @returns The merged request settings.
 * @throws {ConfigError} For an unknown option or a wrong value.
 */
export function resolveRequestOptions(
  options: RequestOptions | undefined,
  defaults: RequestDefaults,
): ResolvedRequest {
  checkKnownKeys("options", options, OPTION_KEYS);
  const o = options ?? {};
  const maxTokens = o.maxTokens === undefined
    ? defaults.maxTokens
    : checkPositiveInteger("options.maxTokens", o.maxTokens);
  const sampling: Record<string, unknown> = {
    temperature: o.temperature === undefined
      ? defaults.temperature
      : checkRange("options.temperature", o.temperature, 0, 2),
    max_tokens: maxTokens,
  };
  if (o.topP !== undefined) {
    sampling.top_p = checkRange("options.topP", o.topP, 0, 1);
  }
  if (o.seed !== undefined) {
    if (!Number.isSafeInteger(o.seed)) {
      throw new ConfigError("options.seed", o.seed, "a whole number");
    }
    sampling.seed = o.seed;
  }
  if (o.stop !== undefined) sampling.stop = checkStop(o.stop);
  if (
    o.extraBody !== undefined &&
    (o.extraBody === null || typeof o.extraBody !== "object" ||
      Array.isArray(o.extraBody))
  ) {
    throw new ConfigError(
      "options.extraBody",
      o.extraBody,
      "an object of body fields",
    );
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new ConfigError("options.signal", o.signal, "an AbortSignal");
  }
  const { tools, reasoningEffort } = resolveTemplateOptions(
    o,
    defaults.reasoningEffort,
  );
  return {
    model: o.model === undefined
      ? defaults.model
      : checkNonEmptyString("options.model", o.model),
    maxTokens,
    timeout: resolveTimeouts("options.timeout", o.timeout, defaults.timeout),
    maxRetries: o.maxRetries === undefined
      ? defaults.maxRetries
      : checkNonNegativeInteger("options.maxRetries", o.maxRetries),
    contextOverflow: o.contextOverflow === undefined
      ? defaults.contextOverflow
      : checkContextOverflow("options.contextOverflow", o.contextOverflow),
    keepReasoning: o.keepReasoning === undefined
      ? defaults.keepReasoning
      : checkBoolean("options.keepReasoning", o.keepReasoning),
    keepFirstUserMessage: o.keepFirstUserMessage === undefined
      ? defaults.keepFirstUserMessage
      : checkBoolean("options.keepFirstUserMessage", o.keepFirstUserMessage),
    ...(reasoningEffort ? { reasoningEffort } : {}),
    ...(tools ? { tools } : {}),
    ...(o.toolChoice === undefined ? {} : {
      toolChoice: checkToolChoice("options.toolChoice", o.toolChoice, tools),
    }),
    ...(o.responseFormat === undefined ? {} : {
      responseFormat: checkResponseFormat(
        "options.responseFormat",
        o.responseFormat,
      ),
    }),
    ...(o.signal ? { signal: o.signal } : {}),
    headers: o.headers === undefined
      ? {}
      : checkHeaders("options.headers", o.headers),
    sampling,
    ...(o.extraBody ? { extraBody: o.extraBody } : {}),
  };
}

function checkStop(stop: unknown): string | string[] {
  if (typeof stop === "string") return stop;
  if (Array.isArray(stop) && stop.every((s) => typeof s === "string")) {
    return stop;
  }
  throw new ConfigError(
    "options.stop",
    stop,
    "a string or an array of strings",
  );
}
