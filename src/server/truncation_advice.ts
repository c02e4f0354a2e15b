/**
 * What to do about a prompt a server cut without saying so, on each server.
 *
 * @module
 */

import type { ServerKind } from "../wire/servers.ts";
import type { ServerTruncation } from "../types.ts";

const FIX: Record<ServerKind | "unknown", string> = {
  ollama:
    "raise Ollama's window (OLLAMA_CONTEXT_LENGTH=32768 when starting it, or PARAMETER num_ctx in a Modelfile), or use api: \"ollama\", which sends the client's window as num_ctx",
  llamacpp:
    "start llama-server with a larger -c (a request gets -c divided by -np unless --kv-unified)",
  lmstudio: "load the model in LM Studio with a larger context length",
  vllm: "start vllm serve with a larger --max-model-len",
  unknown:
    'raise the server\'s context window (on Ollama, which does this: OLLAMA_CONTEXT_LENGTH=32768, or api: "ollama"), or set maxContextSize to the window it runs with',
};

/**
 * One line for a person: what the server did, and how to fix it there.
 *
 * @example Telling the user what happened
 * ```ts
 * import { explainServerTruncation } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const line = explainServerTruncation({ sentTokens: 9000, serverTokens: 4096 }, "ollama");
 * assert.match(line, /^The server read 4096 of the 9000 prompt tokens sent/);
 * assert.match(line, /OLLAMA_CONTEXT_LENGTH/);
 * ```
 *
 * @param truncation What was sent and what the server read.
 * @param server The server, when known.
 * @returns The sentence.
 */
export function explainServerTruncation(
  truncation: ServerTruncation,
  server: ServerKind | undefined,
): string {
  return `The server read ${truncation.serverTokens} of the ${truncation.sentTokens} prompt tokens sent: it cut the prompt to its context window without saying so, and the model may not have seen the oldest messages or the question. To fix it, ${
    FIX[server ?? "unknown"]
  }.`;
}
