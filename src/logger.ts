/**
 * A small logging interface, a console logger with a level, and a silent one.
 * The client wraps whatever logger it is given so that no secret reaches it.
 *
 * @module
 */

import { checkOneOf } from "./checks.ts";

/**
 * How much a console logger prints: its level and everything more severe.
 *
 * @example Choosing how much to log
 * ```ts
 * import type { LogLevel } from "@gptoss/client";
 * const level: LogLevel = "debug";
 * ```
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/**
 * Structured details of a log line.
 *
 * @example Structured data for a log line
 * ```ts
 * import type { LogData } from "@gptoss/client";
 * const data: LogData = { method: "POST", status: 200, ms: 12 };
 * ```
 */
export type LogData = Record<string, unknown>;

/**
 * Where the client reports what it does. Any object with these four methods
 * works, `console` included.
 *
 * @example Collecting log lines in a test
 * ```ts
 * import { GptOssClient, type Logger } from "@gptoss/client";
 * import { startMockServer } from "@gptoss/client/testing";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * const logger: Logger = {
 *   debug: (m) => lines.push(m),
 *   info: (m) => lines.push(m),
 *   warn: (m) => lines.push(m),
 *   error: (m) => lines.push(m),
 * };
 * await using server = await startMockServer();
 * const client = new GptOssClient({ baseUrl: server.url, model: "gpt-oss-20b", apiKey: "sk-secret", logger });
 * await client.generateResponse([{ role: "user", content: "Hi" }]);
 * assert.ok(lines.some((line) => line.startsWith("POST ") && line.includes("→ 200")));
 * assert.ok(!lines.join("\n").includes("sk-secret"));
 * ```
 */
export interface Logger {
  /** Each request: method, URL, status and timing. */
  debug(message: string, data?: LogData): void;
  /** Things the caller may want to know: trimmed history, model discovery. */
  info(message: string, data?: LogData): void;
  /** Something is off but the call goes on. */
  warn(message: string, data?: LogData): void;
  /** A call failed. */
  error(message: string, data?: LogData): void;
}

const LEVELS: Record<LogLevel, number> = {
  debug: 0,
  info: 1,
  warn: 2,
  error: 3,
  silent: 4,
};

/**
 * A logger that prints to the console at `level` and above, each line
 * prefixed with `[gptoss]`.
 *
 * @param level The least severe level printed; `"warn"` by default.
 * @returns The logger.
 *
 * @example Seeing every request
 * ```ts
 * import { createConsoleLogger, GptOssClient } from "@gptoss/client";
 * const client = new GptOssClient({ logger: createConsoleLogger("debug") });
 * ```
 */
export function createConsoleLogger(level: LogLevel = "warn"): Logger {
  checkOneOf("level", level, Object.keys(LEVELS) as LogLevel[]);
  const min = LEVELS[level];
  const line = (
    print: (...args: unknown[]) => void,
    at: LogLevel,
  ) =>
  (message: string, data?: LogData) => {
    if (LEVELS[at] < min) return;
    if (data === undefined) print(`[gptoss] ${message}`);
    else print(`[gptoss] ${message}`, data);
  };
  return {
    debug: line(console.debug, "debug"),
    info: line(console.info, "info"),
    warn: line(console.warn, "warn"),
    error: line(console.error, "error"),
  };
}

/**
 * A logger that drops everything.
 *
 * @example Turning logging off
 * ```ts
 * import { GptOssClient, silentLogger } from "@gptoss/client";
 * const client = new GptOssClient({ logger: silentLogger });
 * ```
 */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});
