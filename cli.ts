/**
 * A command line for GPT-OSS servers: ask a question, watch the answer stream.
 *
 * ```sh
 * deno run --allow-net cli.ts "Why is the sky blue?"
 * deno run --allow-net --allow-env cli.ts --reasoning show --url http://localhost:11434 "Hi"
 * echo "What is 2+2?" | deno run --allow-net cli.ts
 * ```
 *
 * Parsing and presentation only: everything else goes through the public API
 * of `mod.ts`.
 *
 * @example Running the command line from code
 * ```ts ignore
 * import { main } from "@gptoss/client/cli";
 * const exitCode = await main(["--url", "http://localhost:8000", "Hello"]);
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  ConfigError,
  GptOssClient,
  type GptOssConfig,
  GptOssError,
  InvalidMessageError,
  type RequestOptions,
} from "./mod.ts";
import { VERSION } from "./src/version.ts";

const USAGE =
  `Usage: gpt-oss [options] "prompt"     (or the prompt on standard input)

Options:
  --url URL            the server (default $GPT_OSS_BASE_URL or http://localhost:8000)
  --model ID           the model (default $GPT_OSS_MODEL, or the one the server lists)
  --system TEXT        a system prompt
  --temperature N      0 to 2 (default 0.7)
  --max-tokens N       the longest answer, reasoning included (default 2048)
  --context N          the context window in tokens (default 8192)
  --timeout MS         wait this long for the server (default 30000)
  --effort LEVEL       reasoning effort: low, medium or high
  --reasoning show|hide  print the model's reasoning on stderr (default hide)
  --no-stream          wait for the whole answer
  --json               print the completion as JSON, nothing else on stdout
  --exact              count tokens with GPT-OSS's own tokenizer (o200k_harmony)
  --count              print the prompt's tokens instead of sending it
                       (counted by the server where it can, else locally)
  --help, --version`;

/** Exit codes: success, the server or the model failed, a usage error. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Runs the command line.
 *
 * @param args The arguments, without the program name.
 * @returns The exit code: 0 success, 1 the server or the model failed, 2 a usage error.
 *
 * @example
 * ```ts ignore
 * import { main } from "@gptoss/client/cli";
 * Deno.exit(await main(Deno.args));
 * ```
 */
export async function main(args: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
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
        reasoning: { type: "string", default: "hide" },
        "no-stream": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        exact: { type: "boolean", default: false },
        count: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
        version: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = flags;
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (values.version) {
    console.log(`gpt-oss ${VERSION}`);
    return EXIT.ok;
  }
  if (values.reasoning !== "show" && values.reasoning !== "hide") {
    return usageError(
      `--reasoning must be "show" or "hide", not ${
        JSON.stringify(values.reasoning)
      }.`,
    );
  }
  const prompt = positionals.length > 0
    ? positionals.join(" ")
    : await readStdin();
  if (!prompt.trim()) {
    return usageError(
      "No prompt: pass it as an argument or on standard input.",
    );
  }

  let client: GptOssClient;
  const options: RequestOptions = {};
  try {
    const config: GptOssConfig = {};
    const url = values.url ?? env("GPT_OSS_BASE_URL");
    if (url) config.baseUrl = url;
    const model = values.model ?? env("GPT_OSS_MODEL");
    if (model) config.model = model;
    const apiKey = env("GPT_OSS_API_KEY");
    if (apiKey) config.apiKey = apiKey;
    if (values.context) {
      config.maxContextSize = number("--context", values.context);
    }
    if (values["max-tokens"]) {
      config.maxTokens = number("--max-tokens", values["max-tokens"]);
    }
    if (values.temperature) {
      config.temperature = number("--temperature", values.temperature);
    }
    if (values.timeout) config.timeout = number("--timeout", values.timeout);
    if (values.effort !== undefined) {
      config.reasoningEffort = values.effort as GptOssConfig["reasoningEffort"];
    }
    if (values.exact) {
      // Loaded only when asked: 2.4 MB of token ranks.
      config.tokenizer = (await import("./tokenizer/mod.ts")).gptOssTokenizer;
    }
    client = new GptOssClient(config);
  } catch (error) {
    return usageError((error as Error).message);
  }

  const messages = [
    ...(values.system
      ? [{ role: "system" as const, content: values.system }]
      : []),
    { role: "user" as const, content: prompt },
  ];
  const showReasoning = values.reasoning === "show" && !values.json;
  try {
    if (values.count) {
      const count = await client.countTokens(messages);
      if (values.json) console.log(JSON.stringify(count));
      else {
        write(
          `${count.promptTokens} tokens (${
            count.exact ? "exact" : "estimated"
          }, counted by ${count.source})\n`,
        );
      }
      return EXIT.ok;
    }
    if (values["no-stream"] || values.json) {
      const completion = await client.generateResponse(messages, options);
      if (values.json) {
        console.log(JSON.stringify(completion, null, 2));
        return EXIT.ok;
      }
      const { content, reasoning } = completion.choices[0].message;
      if (showReasoning && reasoning) writeErr(dim(`${reasoning}\n`));
      write(`${content ?? ""}\n`);
      return EXIT.ok;
    }
    let wroteReasoning = false;
    for await (const delta of client.streamResponse(messages, options)) {
      if (showReasoning && delta.reasoning) {
        writeErr(dim(delta.reasoning));
        wroteReasoning = true;
      }
      if (delta.content) {
        if (wroteReasoning) {
          writeErr("\n");
          wroteReasoning = false;
        }
        write(delta.content);
      }
    }
    write("\n");
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof InvalidMessageError) {
      return usageError(error.message);
    }
    const message = error instanceof GptOssError
      ? error.message
      : String(error);
    console.error(`error: ${message}`);
    return EXIT.failed;
  }
}

function usageError(message: string): number {
  console.error(`error: ${message}\n\n${USAGE}`);
  return EXIT.usage;
}

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new ConfigError(flag, text, "a number");
  }
  return value;
}

/** Reads a variable only where --allow-env grants it, without a prompt. */
function env(name: string): string | undefined {
  const state = Deno.permissions.querySync?.({ name: "env", variable: name })
    .state;
  return state === "granted" ? Deno.env.get(name) : undefined;
}

async function readStdin(): Promise<string> {
  if (Deno.stdin.isTerminal()) return "";
  return await new Response(Deno.stdin.readable).text();
}

const encoder = new TextEncoder();

function write(text: string, to: typeof Deno.stdout = Deno.stdout): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(to.writeSync(bytes));
}

function writeErr(text: string): void {
  write(text, Deno.stderr);
}

function dim(text: string): string {
  return Deno.stderr.isTerminal() && !Deno.noColor
    ? `\x1b[2m${text}\x1b[22m`
    : text;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
