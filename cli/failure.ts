/**
 * Turns whatever went wrong into one line on stderr and an exit code:
 * 2 for a usage or permission mistake, 130 for an interruption, 1 for a
 * server or model failure.
 *
 * @module
 */

import {
  AbortError,
  ApiError,
  ConfigError,
  ConnectionError,
  GptOssError,
  InvalidMessageError,
} from "../mod.ts";
import { UsageError } from "./args.ts";
import { isPermissionError, missingEnvPermission } from "./environment.ts";

/** Exit codes. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** What to print and how to exit. */
export interface Failure {
  message: string;
  code: number;
}

/**
 * @param error What was thrown.
 * @param baseUrl The server, as configured.
 * @returns The line and the exit code.
 */
export function describeFailure(error: unknown, baseUrl: string): Failure {
  if (error instanceof UsageError) {
    return { message: seeHelp(error.message), code: EXIT.usage };
  }
  if (error instanceof ConfigError) {
    return { message: inFlags(error), code: EXIT.usage };
  }
  if (error instanceof InvalidMessageError) {
    return { message: error.message, code: EXIT.usage };
  }
  if (isPermissionError(error)) {
    const { host } = new URL(baseUrl);
    return {
      message:
        `no permission to reach ${host}: run with --allow-net=${host} (or --allow-net)`,
      code: EXIT.usage,
    };
  }
  if (error instanceof AbortError) {
    return { message: "interrupted", code: EXIT.interrupted };
  }
  if (error instanceof ConnectionError && error.beforeResponse) {
    const env = missingEnvPermission();
    return {
      message:
        `cannot reach ${baseUrl} (${error.reason}) — is the server running? set --url or GPT_OSS_BASE_URL${
          env ? ` (the GPT_OSS_* variables are read only with ${env})` : ""
        }`,
      code: EXIT.failed,
    };
  }
  if (
    error instanceof ApiError && (error.status === 401 || error.status === 403)
  ) {
    const env = missingEnvPermission();
    return {
      message: `${error.message}${
        env ? ` GPT_OSS_API_KEY is read only with ${env}.` : ""
      }`,
      code: EXIT.failed,
    };
  }
  if (error instanceof GptOssError) {
    // "raise maxContextSize" reads "raise --context" here.
    return { message: flagWords(error.message), code: EXIT.failed };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    code: EXIT.failed,
  };
}

/** The library's option names, and the flag (or variable) that sets each. */
const FLAG_OF: Readonly<Record<string, string>> = {
  baseUrl: "--url",
  maxContextSize: "--context",
  maxTokens: "--max-tokens",
  temperature: "--temperature",
  timeout: "--timeout",
  reasoningEffort: "--effort",
  apiKey: "GPT_OSS_API_KEY",
};

/** A library message with the option names the command line sets by flags as those flags. */
export function flagWords(text: string): string {
  let message = text;
  for (const [option, flag] of Object.entries(FLAG_OF)) {
    message = message.replace(new RegExp(`\\b${option}\\b`, "g"), flag);
  }
  return message;
}

/**
 * A configuration mistake in the command line's words: the flags instead
 * of the library's option names, and the fix where it is plain.
 */
function inFlags(error: ConfigError): string {
  let message = flagWords(error.message);
  if (error.field === "baseUrl" && typeof error.value === "string") {
    const value = error.value.trim();
    if (value && !/^[a-z][\w+.-]*:\/\//i.test(value)) {
      message += ` Try --url http://${value}`;
    }
  }
  return seeHelp(message);
}

/** One line, pointing at the usage (as git and curl do). */
function seeHelp(message: string): string {
  return `${message.replace(/[.\s]+$/, "")} (see --help)`;
}
