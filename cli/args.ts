/**
 * The command line's flags: parsed with `parseArgs` from `node:util`,
 * checked, and turned into plain options. A wrong flag or value is a
 * {@link UsageError}: one line, then the usage, exit code 2.
 *
 * @module
 */

import { parseArgs } from "node:util";

/** The usage text, for `--help` and after a usage error. */
export const USAGE =
  `Usage: gpt-oss [options] "question"     one question; the answer streams to stdout
       cat notes.md | gpt-oss "question"  standard input is context for the question
       gpt-oss --chat                     a conversation (also: no question, in a terminal)

Options:
  --url URL              the server (default $GPT_OSS_BASE_URL or http://localhost:8000)
  --model ID             the model (default $GPT_OSS_MODEL, or the one the server lists)
  --system TEXT          a system prompt
  --temperature N        0 to 2 (default 0.7)
  --max-tokens N         the longest answer, reasoning included (default 2048)
  --context N|auto       the context window in tokens (default 8192; auto asks the server)
  --effort LEVEL         reasoning effort: low, medium or high
  --api chat|responses|ollama
                         the wire API: chat completions (default); the Responses API
                         (/v1/responses: vLLM, Ollama, LM Studio); or Ollama's native
                         /api/chat, which takes the --context window as Ollama's own
  --reasoning show|hide  print the model's reasoning on stderr (default hide)
  --timeout MS           wait this long for the server, and for each silence (default 30000)
  --no-stream            wait for the whole answer
  --json                 print the completion as JSON, nothing else on stdout
  --stats                one line on stderr at the end: tokens, context used, speed
  --chat                 a conversation: /reset, /system TEXT, /effort LEVEL, /save FILE, /exit
  --exact                count tokens with GPT-OSS's own tokenizer (o200k_harmony)
  --count                print the prompt's tokens instead of sending it
  --mock                 run the built-in mock server and print its URL (--port N to choose one)
  --help, --version

Environment (read with --allow-env; flags win): GPT_OSS_BASE_URL, GPT_OSS_MODEL, GPT_OSS_API_KEY.
Exit codes: 0 done, 1 the server or the model failed, 2 a usage error, 130 interrupted.`;

/** A wrong flag or value. */
export class UsageError extends Error {
  /** @param message What is wrong, in one line. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The command line, parsed and checked. */
export interface CliOptions {
  url?: string;
  model?: string;
  system?: string;
  temperature?: number;
  maxTokens?: number;
  context?: number | "auto";
  timeout?: number;
  effort?: "low" | "medium" | "high";
  api?: "chat" | "responses" | "ollama";
  showReasoning: boolean;
  json: boolean;
  noStream: boolean;
  stats: boolean;
  chat: boolean;
  exact: boolean;
  count: boolean;
  mock: boolean;
  port?: number;
  help: boolean;
  version: boolean;
  /** The positional arguments, joined: the question. */
  question: string;
}

/** The flags, for suggestions. */
const FLAGS = [
  "--url",
  "--model",
  "--system",
  "--temperature",
  "--max-tokens",
  "--context",
  "--timeout",
  "--effort",
  "--api",
  "--reasoning",
  "--no-stream",
  "--json",
  "--stats",
  "--chat",
  "--exact",
  "--count",
  "--mock",
  "--port",
  "--help",
  "--version",
];

/** The edit distance of two short words. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        row[j] + 1,
        next[j - 1] + 1,
        row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length];
}

/** @returns The known flag nearest to a mistyped one, if one is near. */
export function nearestFlag(flag: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of FLAGS) {
    const d = distance(flag, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return bestDistance <= Math.max(2, Math.floor(flag.length / 4))
    ? best
    : undefined;
}

/** `parseArgs`'s error text, in the command line's words. */
function parserProblem(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown) {
    const near = nearestFlag(unknown);
    return `unknown flag ${unknown}${near ? `; did you mean ${near}?` : ""}`;
  }
  const missing = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(
    message,
  )?.[1];
  if (missing) return `${missing} needs a value`;
  const boolean = /Option '(--[\w-]+)' does not take an argument/.exec(
    message,
  )?.[1];
  if (boolean) return `${boolean} takes no value`;
  return message;
}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new UsageError(
      `${flag} takes a number, not ${JSON.stringify(text)}.`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  flag: string,
  text: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) {
    throw new UsageError(
      `${flag} must be ${allowed.join(", ")}, not ${JSON.stringify(text)}.`,
    );
  }
  return text as T;
}

/**
 * @param args The arguments, without the program name.
 * @returns The options.
 * @throws {UsageError} For an unknown flag, a missing value or a wrong one.
 */
export function parseCommandLine(args: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        model: { type: "string" },
        system: { type: "string" },
        temperature: { type: "string" },
        "max-tokens": { type: "string" },
        context: { type: "string" },
        timeout: { type: "string" },
        effort: { type: "string" },
        api: { type: "string" },
        reasoning: { type: "string" },
        "no-stream": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        stats: { type: "boolean", default: false },
        chat: { type: "boolean", default: false },
        exact: { type: "boolean", default: false },
        count: { type: "boolean", default: false },
        mock: { type: "boolean", default: false },
        port: { type: "string" },
        help: { type: "boolean", default: false },
        version: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(parserProblem((error as Error).message));
  }
  const { values: v, positionals } = parsed;
  const context = v.context === undefined
    ? undefined
    : v.context === "auto"
    ? "auto" as const
    : number("--context", v.context);
  const effort = oneOf(
    "--effort",
    v.effort,
    ["low", "medium", "high"] as const,
  );
  const reasoning = oneOf(
    "--reasoning",
    v.reasoning,
    ["show", "hide"] as const,
  );
  const options: CliOptions = {
    showReasoning: reasoning === "show",
    json: v.json,
    noStream: v["no-stream"],
    stats: v.stats,
    chat: v.chat,
    exact: v.exact,
    count: v.count,
    mock: v.mock,
    help: v.help,
    version: v.version,
    question: positionals.join(" "),
  };
  if (v.url !== undefined) options.url = v.url;
  if (v.model !== undefined) options.model = v.model;
  if (v.system !== undefined) options.system = v.system;
  const temperature = number("--temperature", v.temperature);
  if (temperature !== undefined) options.temperature = temperature;
  const maxTokens = number("--max-tokens", v["max-tokens"]);
  if (maxTokens !== undefined) options.maxTokens = maxTokens;
  if (context !== undefined) options.context = context;
  const timeout = number("--timeout", v.timeout);
  if (timeout !== undefined) options.timeout = timeout;
  if (effort) options.effort = effort;
  const port = number("--port", v.port);
  if (port !== undefined) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(
        `--port takes a port number (0 to 65535), not ${port}.`,
      );
    }
    options.port = port;
  }
  const api = oneOf("--api", v.api, ["chat", "responses", "ollama"] as const);
  if (api) options.api = api;
  if (options.chat && (options.json || options.count)) {
    throw new UsageError("--chat cannot be combined with --json or --count.");
  }
  return options;
}
