/**
 * The mutants of bench/mutation/run.ts: one-line changes of behaviour, each
 * the kind of slip a change could make, across every layer of the core and
 * the command line.
 *
 * @module
 */

export interface Mutant {
  name: string;
  file: string;
  /** The exact text to change (its first occurrence). */
  from: string;
  to: string;
}

export const MUTANTS: readonly Mutant[] = [
  // http: retries, limits, timeouts
  {
    name: "http: 408 not retried",
    file: "src/http/retry.ts",
    from: "  408,\n",
    to: "",
  },
  {
    name: "http: a connection broken mid-answer retried",
    file: "src/http/retry.ts",
    from: "return error.beforeResponse;",
    to: "return true;",
  },
  {
    name: "http: no backoff",
    file: "src/http/retry.ts",
    from: "const INITIAL_DELAY_MS = 500;",
    to: "const INITIAL_DELAY_MS = 0;",
  },
  {
    name: "http: any Retry-After honoured",
    file: "src/http/retry.ts",
    from: "ms <= MAX_SERVER_DELAY_MS",
    to: "ms <= Infinity",
  },
  {
    name: "http: one retry too many",
    file: "src/http/request.ts",
    from: "const again = retry < maxRetries && isRetryable(failure);",
    to: "const again = retry <= maxRetries && isRetryable(failure);",
  },
  {
    name: "http: body size unchecked",
    file: "src/http/read_body.ts",
    from: "if (size > limit) {",
    to: "if (size > Infinity) {",
  },
  {
    name: "http: no JSON content type",
    file: "src/http/request.ts",
    from:
      'if (request.body !== undefined) headers["content-type"] = "application/json";',
    to: "",
  },
  {
    name: "watchdog: idle fires a tick late",
    file: "src/http/watchdog.ts",
    from: "if (silence >= this.#timeouts.idle) {",
    to: "if (silence > this.#timeouts.idle * 2) {",
  },
  {
    name: "watchdog: no headers limit",
    file: "src/http/watchdog.ts",
    from: "    if (!this.#streaming) {",
    to: "    if (false) {",
  },
  {
    name: "error body: vLLM's window not read",
    file: "src/http/error_body.ts",
    from: "const size = /maximum context length is (\\d+)/i.exec(message) ??",
    to: "const size = null ??",
  },
  {
    name: "error body: n_ctx is no context error",
    file: "src/http/error_body.ts",
    from: "    error.contextSize !== undefined ||",
    to: "",
  },
  {
    name: "error body: server text uncut",
    file: "src/http/error_body.ts",
    from: "? text.slice(0, 300)",
    to: "? text",
  },
  // stream: SSE, decoding, assembling
  {
    name: "sse: BOM kept",
    file: "src/stream/sse.ts",
    from: "if (chunk.charCodeAt(0) === 0xfeff) start = 1;",
    to: "",
  },
  {
    name: "sse: data lines joined without LF",
    file: "src/stream/sse.ts",
    from: 'if (this.#hasData) this.#data += "\\n" + value;',
    to: "if (this.#hasData) this.#data += value;",
  },
  {
    name: "sse: comments read as fields",
    file: "src/stream/sse.ts",
    from: "if (colon === 0) return; // a comment",
    to: "",
  },
  {
    name: "decoder: a finish without [DONE] is not an end",
    file: "src/api/chat/event_decoder.ts",
    from: "return this.#done || (this.#sawFinish && !cut);",
    to: "return this.#done;",
  },
  {
    name: "decoder: a cut event after a finish is an end",
    file: "src/api/chat/event_decoder.ts",
    from: "return this.#done || (this.#sawFinish && !cut);",
    to: "return this.#done || this.#sawFinish;",
  },
  {
    name: "chunk: empty content is a delta",
    file: "src/api/chat/chunk.ts",
    from: 'if (typeof content === "string" && content !== "") {',
    to: 'if (typeof content === "string") {',
  },
  {
    name: "chunk: total_tokens not derived",
    file: "src/api/chat/chunk.ts",
    from: 'total_tokens: typeof u.total_tokens === "number"',
    to: "total_tokens: true",
  },
  {
    name: "reasoning: only reasoning_content read",
    file: "src/api/chat/reasoning_field.ts",
    from: "const reasoning = record.reasoning;",
    to: "const reasoning = undefined as unknown;",
  },
  {
    name: "completion: harmony never split in whole answers",
    file: "src/api/chat/completion.ts",
    from: "if (options.splitHarmony !== false) splitHarmonyMessage(normal);",
    to: "",
  },
  {
    name: "request body: no usage asked in streams",
    file: "src/api/chat/request_body.ts",
    from: "if (request.stream) body.stream_options = { include_usage: true };",
    to: "",
  },
  {
    name: "request body: tool choice dropped",
    file: "src/api/chat/request_body.ts",
    from: "if (request.toolChoice) body.tool_choice = request.toolChoice;",
    to: "",
  },
  {
    name: "stream: first token time from every delta",
    file: "src/stream/streamed_completion.ts",
    from: "if (this.#firstTokenAt === undefined && carriesTokens(delta)) {",
    to: "if (carriesTokens(delta)) {",
  },
  {
    name: "stream: a JSON body read as SSE",
    file: "src/stream/streamed_completion.ts",
    from: "    if (whole) {",
    to: "    if (false) {",
  },
  {
    name: "stats: the first token counted in the rate",
    file: "src/stream/stats.ts",
    from: "? round((completionTokens - 1) * 1000 / generatingMs)",
    to: "? round(completionTokens * 1000 / generatingMs)",
  },
  // harmony
  {
    name: "harmony: final after stripped analysis stays reasoning",
    file: "src/harmony/splitter.ts",
    from: 'if (marker === STRIPPED_FINAL) this.#route = "content";',
    to: "if (marker === STRIPPED_FINAL) {}",
  },
  {
    name: "harmony: analysis channel is content",
    file: "src/harmony/splitter.ts",
    from: 'this.#route = channel === "analysis" ? "reasoning" : "content";',
    to: 'this.#route = "content";',
  },
  {
    name: "harmony: a message to the user is a tool call",
    file: "src/harmony/splitter.ts",
    from:
      'if (recipient && recipient !== "assistant" && recipient !== "user") {',
    to: 'if (recipient && recipient !== "assistant") {',
  },
  {
    name: "template: user message framing miscounted",
    file: "src/harmony/walk.ts",
    from: 'n = 3 + word("user") + plain(text);',
    to: 'n = 2 + word("user") + plain(text);',
  },
  {
    name: "template: analysis of earlier tool calls counted",
    file: "src/harmony/walk.ts",
    from: "if (analysis && !this.#finalAfter[i]) {",
    to: "if (analysis) {",
  },
  // context
  {
    name: "count: the generation prompt not counted",
    file: "src/context/count.ts",
    from: '1 + tokenizer.count("assistant"); // <|start|>assistant, the footer',
    to: "0;",
  },
  {
    name: "history: reasoning of earlier turns kept",
    file: "src/context/history.ts",
    from: "if (keepReasoning || i > latestUser) copy.reasoning = reasoning;",
    to: "copy.reasoning = reasoning;",
  },
  {
    name: "truncate: system messages not pinned",
    file: "src/context/truncate.ts",
    from: 'if (role === "system" || role === "developer") pin(i);',
    to: "",
  },
  {
    name: "truncate: a turn that does not fit is kept",
    file: "src/context/truncate.ts",
    from: "if (used + cost > budget) break;",
    to: "if (used + cost > budget * 2) break;",
  },
  {
    name: "shorten: tiny stubs allowed",
    file: "src/context/shorten.ts",
    from: "const MINIMUM_KEPT = 32;",
    to: "const MINIMUM_KEPT = 0;",
  },
  {
    name: "fit: error policy lets an overflow through",
    file: "src/context/fit.ts",
    from: "if (promptTokens <= window.budget) {",
    to: "if (true) {",
  },
  // options and client
  {
    name: "options: temperature unchecked",
    file: "src/options/resolve.ts",
    from: "r.model.sampling.temperature = checkRange(f, v, 0, 2);",
    to: "r.model.sampling.temperature = v as number;",
  },
  {
    name: "http: the client's headers win over a call's",
    file: "src/http/request.ts",
    from: "    ...context.headers,\n    ...request.headers,\n",
    to: "    ...request.headers,\n    ...context.headers,\n",
  },
  {
    name: "config: the configured headers not sent",
    file: "src/options/client_config.ts",
    from: "const headers = { ...defaults.transport.headers };",
    to: "const headers: Record<string, string> = {};",
  },
  {
    name: "config: the API key not sent",
    file: "src/options/client_config.ts",
    from: "if (apiKey) headers.authorization = `Bearer ${apiKey}`;",
    to: "if (apiKey) {}",
  },
  {
    name: "config: credential headers not secret",
    file: "src/options/client_config.ts",
    from: "if (isCredentialHeader(name)) secrets.push(value);",
    to: "",
  },
  {
    name: "server: discovered model not used",
    file: "src/server/server_state.ts",
    from: "this.#model ??= info.model;",
    to: "",
  },
  {
    name: "server: auto window ignores the server",
    file: "src/server/server_state.ts",
    from: "    if (told !== undefined) return told;",
    to: "",
  },
  {
    name: "server count: 405 is a failure",
    file: "src/server/server_count.ts",
    from: "const MISSING = new Set([404, 405, 501]);",
    to: "const MISSING = new Set([404, 501]);",
  },
  {
    name: "stream: an abort while away is not seen",
    file: "src/stream/streamed_completion.ts",
    from: 'if (fired instanceof AbortError && this.#state === "reading") {',
    to: "if (false) {",
  },
  // servers as they behave (issue 14)
  {
    name: "harmony path: analysis kept before the last final",
    file: "src/harmony/from_chat.ts",
    from: 'if (group[j].channel === "analysis") group.splice(j, 1);',
    to: "",
  },
  {
    name: "harmony path: instructions never folded",
    file: "src/harmony/from_chat.ts",
    from: 'const folded = request.layout === "folded-instructions";',
    to: "const folded = false;",
  },
  {
    name: "vllm version: 0.23 still separate",
    file: "src/server/vllm_version.ts",
    from: "  if (minor >= 23) {",
    to: "  if (minor >= 24) {",
  },
  {
    name: "server truncation: any shortfall is a cut",
    file: "src/context/server_truncation.ts",
    from: "? serverTokens < 0.9 * sent.tokens - 16",
    to: "? serverTokens < sent.tokens",
  },
  {
    name: "ollama: no window sent",
    file: "src/api/ollama/request_body.ts",
    from: "    options.num_ctx = request.contextWindow;",
    to: "",
  },
  {
    name: "ollama: thinking is content",
    file: "src/api/ollama/response.ts",
    from: "const reasoning = text(message.thinking);",
    to: "const reasoning = undefined;",
  },
  {
    name: "tool calls: names taken as sent",
    file: "src/helpers/parse_tool_calls.ts",
    from: "      : meantName(parsed.name);",
    to: "      : parsed.name;",
  },
  {
    name: "retry: a parse failure not sampled again",
    file: "src/http/request.ts",
    from: "        isOutputParseFailure(failure);",
    to: "        false;",
  },
  // cli
  {
    name: "cli: a bad option exits 1",
    file: "cli/failure.ts",
    from: "return { message: inFlags(error), code: EXIT.usage };",
    to: "return { message: inFlags(error), code: EXIT.failed };",
  },
  {
    name: "cli: Ctrl-C exits 1",
    file: "cli/failure.ts",
    from: 'return { message: "interrupted", code: EXIT.interrupted };',
    to: 'return { message: "interrupted", code: EXIT.failed };',
  },
  {
    name: "cli: --chat with --json allowed",
    file: "cli/args.ts",
    from: "if (options.chat && (options.json || options.count)) {",
    to: "if (false) {",
  },
  {
    name: "cli: chat history grows without end",
    file: "cli/chat.ts",
    from: "chat.history = chat.history.filter((m) => !gone.has(m));",
    to: "",
  },
  {
    name: "cli: the key from the environment not used",
    file: "cli/config.ts",
    from: "if (apiKey) config.apiKey = apiKey;",
    to: "",
  },
];
