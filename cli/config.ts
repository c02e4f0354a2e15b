/**
 * The client's configuration from the flags and, where `--allow-env` grants
 * it, the environment (flags win).
 *
 * @module
 */

import type { GptOssConfig, Logger } from "../mod.ts";
import type { CliOptions } from "./args.ts";
import { envVar } from "./environment.ts";
import { flagWords } from "./failure.ts";

/**
 * @param options The parsed flags.
 * @returns The configuration for `new GptOssClient`.
 */
export async function clientConfig(
  options: CliOptions,
  write: (line: string) => void = (line) => console.error(line.trimEnd()),
): Promise<GptOssConfig> {
  const config: GptOssConfig = {};
  const url = options.url ?? envVar("GPT_OSS_BASE_URL");
  if (url) config.baseUrl = url;
  const model = options.model ?? envVar("GPT_OSS_MODEL");
  if (model) config.model = model;
  const apiKey = envVar("GPT_OSS_API_KEY");
  if (apiKey) config.apiKey = apiKey;
  if (options.context !== undefined) config.maxContextSize = options.context;
  if (options.maxTokens !== undefined) config.maxTokens = options.maxTokens;
  if (options.temperature !== undefined) {
    config.temperature = options.temperature;
  }
  if (options.timeout !== undefined) config.timeout = options.timeout;
  if (options.effort) config.reasoningEffort = options.effort;
  if (options.api) config.api = options.api;
  config.logger = cliLogger(write);
  if (options.exact) {
    // Loaded only when asked: 2.4 MB of token ranks.
    config.tokenizer = (await import("../tokenizer/mod.ts")).gptOssTokenizer;
  }
  return config;
}

/**
 * Warnings and errors, one line each on stderr through the terminal (which
 * clears the spinner first); not the warning of a prompt the server cut,
 * which the command line says itself after the answer (answer.ts).
 */
function cliLogger(write: (line: string) => void): Logger {
  const line = (message: string) => write(`warning: ${flagWords(message)}\n`);
  return {
    debug: () => {},
    info: () => {},
    warn: (message, data) => {
      if (data && "serverTokens" in data) return;
      line(message);
    },
    error: (message) => write(`error: ${flagWords(message)}\n`),
  };
}
