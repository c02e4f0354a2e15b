/**
 * Options checked and merged in one place. Each field has one resolver,
 * used by every path: the configuration resolves over the defaults once,
 * and each call resolves over the client's values. A value is checked where
 * it is given, with the field named as the caller wrote it (`temperature`
 * in the configuration, `options.temperature` in a call).
 *
 * @module
 */

import {
  checkBoolean,
  checkHeaders,
  checkInteger,
  checkKnownKeys,
  checkNonEmptyString,
  checkNonNegativeInteger,
  checkObject,
  checkOneOf,
  checkPositiveInteger,
  checkRange,
  type KeyRegistry,
} from "../checks.ts";
import type { ContextPolicy } from "../context/fit.ts";
import { ConfigError } from "../errors/mod.ts";
import { resolveTimeouts, type TimeoutLimits } from "../http/timeouts.ts";
import type { ModelFields } from "../wire/chat_request.ts";
import { checkReasoningEffort } from "../wire/reasoning_effort.ts";
import { checkResponseFormat } from "../wire/response_format.ts";
import { checkToolChoice, checkTools } from "../wire/tools.ts";
import { DEFAULT_CONFIG, type RequestOptions } from "./options.ts";
import { API_NAMES, type ApiName } from "../api/mod.ts";

/** How a request travels, checked. */
export interface Transport {
  timeout: TimeoutLimits;
  maxRetries: number;
  headers: Record<string, string>;
  api: ApiName;
  retryParseFailures: boolean;
  signal?: AbortSignal;
}

/** Options checked and merged: the three groups, apart. */
export interface ResolvedOptions {
  transport: Transport;
  model: ModelFields;
  policy: ContextPolicy;
}

/** The values that apply where nothing is set: {@link DEFAULT_CONFIG}'s. */
export const DEFAULT_OPTIONS: ResolvedOptions = Object.freeze({
  transport: Object.freeze({
    timeout: Object.freeze({
      headers: DEFAULT_CONFIG.timeout,
      idle: DEFAULT_CONFIG.timeout,
    }),
    maxRetries: DEFAULT_CONFIG.maxRetries,
    headers: Object.freeze({}),
    api: "chat",
    retryParseFailures: true,
  }),
  model: Object.freeze({
    sampling: Object.freeze({
      temperature: DEFAULT_CONFIG.temperature,
      maxTokens: DEFAULT_CONFIG.maxTokens,
    }),
  }),
  policy: Object.freeze({
    contextOverflow: DEFAULT_CONFIG.contextOverflow,
    keepReasoning: DEFAULT_CONFIG.keepReasoning,
    keepFirstUserMessage: DEFAULT_CONFIG.keepFirstUserMessage,
  }),
}) as ResolvedOptions;

type Resolver = (field: string, value: unknown, into: ResolvedOptions) => void;

/**
 * One resolver per field of {@link RequestOptions}, in the order they apply
 * (`tools` before `toolChoice`, which must name one of them).
 */
const RESOLVERS: { readonly [K in keyof RequestOptions]-?: Resolver } = {
  timeout: (f, v, r) => {
    r.transport.timeout = resolveTimeouts(f, v, r.transport.timeout);
  },
  maxRetries: (f, v, r) => {
    r.transport.maxRetries = checkNonNegativeInteger(f, v);
  },
  headers: (f, v, r) => {
    r.transport.headers = { ...r.transport.headers, ...checkHeaders(f, v) };
  },
  api: (f, v, r) => {
    r.transport.api = checkOneOf(f, v, API_NAMES);
  },
  retryParseFailures: (f, v, r) => {
    r.transport.retryParseFailures = checkBoolean(f, v);
  },
  signal: (f, v, r) => {
    if (!(v instanceof AbortSignal)) {
      throw new ConfigError(f, v, "an AbortSignal");
    }
    r.transport.signal = v;
  },
  model: (f, v, r) => {
    r.model.model = checkNonEmptyString(f, v);
  },
  previousResponseId: (f, v, r) => {
    if (r.transport.api !== "responses") {
      throw new ConfigError(
        f,
        v,
        'api: "responses" beside it',
        `${f} continues a stored response of the Responses API: set api: "responses" too (the client or the call uses api: ${
          JSON.stringify(r.transport.api)
        }).`,
      );
    }
    r.model.previousResponseId = checkNonEmptyString(f, v);
  },
  temperature: (f, v, r) => {
    r.model.sampling.temperature = checkRange(f, v, 0, 2);
  },
  maxTokens: (f, v, r) => {
    r.model.sampling.maxTokens = checkPositiveInteger(f, v);
  },
  topP: (f, v, r) => {
    r.model.sampling.topP = checkRange(f, v, 0, 1);
  },
  stop: (f, v, r) => {
    r.model.sampling.stop = checkStop(f, v);
  },
  seed: (f, v, r) => {
    r.model.sampling.seed = checkInteger(f, v);
  },
  reasoningEffort: (f, v, r) => {
    r.model.reasoningEffort = checkReasoningEffort(f, v);
  },
  tools: (f, v, r) => {
    r.model.tools = checkTools(f, v);
  },
  toolChoice: (f, v, r) => {
    r.model.toolChoice = checkToolChoice(f, v, r.model.tools);
  },
  responseFormat: (f, v, r) => {
    r.model.responseFormat = checkResponseFormat(f, v);
  },
  extraBody: (f, v, r) => {
    const fields = checkObject(f, v, "an object of body fields");
    r.model.extraBody = { ...r.model.extraBody, ...fields };
  },
  contextOverflow: (f, v, r) => {
    r.policy.contextOverflow = checkOneOf(f, v, ["truncate", "error"]);
  },
  keepReasoning: (f, v, r) => {
    r.policy.keepReasoning = checkBoolean(f, v);
  },
  keepFirstUserMessage: (f, v, r) => {
    r.policy.keepFirstUserMessage = checkBoolean(f, v);
  },
};

const ORDER = Object.keys(RESOLVERS) as (keyof RequestOptions)[];

/**
 * Checks an options object and merges it over resolved values.
 *
 * @param where `"config"` or `"options"`: the shape's name in messages.
 * @param options The caller's object.
 * @param known The keys this shape may have.
 * @param base The values it overrides (not changed).
 * @returns The merged values; `base` itself when nothing was given.
 * @throws {ConfigError} For an unknown key or a wrong value.
 */
export function resolveOptions(
  where: "config" | "options",
  options: unknown,
  known: KeyRegistry<object>,
  base: ResolvedOptions,
): ResolvedOptions {
  checkKnownKeys(where, options, known);
  if (options === undefined) return base;
  const given = options as Record<string, unknown>;
  const resolved: ResolvedOptions = {
    transport: { ...base.transport },
    model: { ...base.model, sampling: { ...base.model.sampling } },
    policy: { ...base.policy },
  };
  const prefix = where === "config" ? "" : `${where}.`;
  for (const key of ORDER) {
    const value = given[key];
    if (value === undefined || !Object.hasOwn(known, key)) continue;
    RESOLVERS[key](prefix + key, value, resolved);
  }
  // A call's tools may leave out the tool the client's choice names.
  if (given.tools !== undefined && given.toolChoice === undefined) {
    const choice = resolved.model.toolChoice;
    if (choice !== undefined) {
      checkToolChoice(`${prefix}toolChoice`, choice, resolved.model.tools);
    }
  }
  return resolved;
}

function checkStop(field: string, stop: unknown): string | string[] {
  if (typeof stop === "string") return stop;
  if (Array.isArray(stop) && stop.every((s) => typeof s === "string")) {
    return stop;
  }
  throw new ConfigError(field, stop, "a string or an array of strings");
}
