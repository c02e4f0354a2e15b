/**
 * The streams real servers send for a gpt-oss answer, event for event as
 * their captures show them, with generated text: what the streaming
 * benchmark replays, and what tests/stream_shapes_test.ts decodes with and
 * without the fast path.
 *
 * Sources (each chunk's fields in the order the capture has them):
 * - `vllm-reasoning`: a vLLM of 2026 (../shared/captures/vllm/03_chat_stream.http),
 *   `reasoning`, `"token_ids":null`.
 * - `vllm-both`: vLLM builds of the rename period, both `reasoning_content`
 *   and `reasoning` with the same text (vllm-project/vllm#37937, fixture
 *   vllm_reasoning_field_event.json).
 * - `vllm-tools`: reasoning, then a tool call's arguments in fragments
 *   (../shared/captures/vllm/08_tools_stream.http).
 * - `vllm-legacy`: `reasoning_content` only, the benchmark's first shape
 *   (fixture vllm_reasoning_content_stream.json).
 * - `llamacpp`: `timings` on every chunk (fixture llamacpp_stream_timings.json,
 *   llama-server b9554).
 * - `ollama-v1`: Ollama's `/v1`, `"content":""` beside `reasoning`
 *   (fixture ollama_v1_stream.json).
 * - `lmstudio`: LM Studio's `reasoning` with `system_fingerprint`
 *   (../shared/captures/lmstudio/33-…).
 * - `ollama-native`: Ollama's `/api/chat` NDJSON, `message.thinking`,
 *   `created_at` on every line (../shared/captures/ollama/23-…).
 *
 * @module
 */

/** A server's stream shape. */
export type Shape =
  | "vllm-reasoning"
  | "vllm-both"
  | "vllm-tools"
  | "vllm-legacy"
  | "llamacpp"
  | "ollama-v1"
  | "lmstudio"
  | "ollama-native";

/** Every shape, in the benchmark's order. */
export const SHAPES: readonly Shape[] = [
  "vllm-reasoning",
  "vllm-both",
  "vllm-tools",
  "vllm-legacy",
  "llamacpp",
  "ollama-v1",
  "lmstudio",
  "ollama-native",
];

/** A stream as text and what a correct reader finds in it. */
export interface ShapedStream {
  /** Each event or line as written, framing included. */
  events: string[];
  /** UTF-16 code units of content, reasoning and tool-call arguments. */
  content: number;
  reasoning: number;
  arguments: number;
}

/** Pieces of text with what is hard to read: escapes, quotes, non-ASCII, line ends. */
const PIECES = [
  "a",
  "the",
  " word",
  "é",
  "\u65e5\u672c",
  "\u{1F600}",
  ' "q"',
  "\\n",
  "line\n",
  "\t",
  "x=1;",
  "caf\u00e9",
];

/** Whether the shape is Ollama's native NDJSON (`/api/chat`) rather than SSE. */
export function isNdjson(shape: Shape): boolean {
  return shape === "ollama-native";
}

/**
 * @param shape The server's shape.
 * @param n Events in all (about 30% reasoning, then the answer or the tool call).
 * @param seed For the text.
 * @param pieces What the text is made of.
 */
export function shapedStream(
  shape: Shape,
  n: number,
  seed = 7,
  pieces: readonly string[] = PIECES,
): ShapedStream {
  let state = seed;
  const next = () =>
    (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const text = () => {
    let out = "";
    const size = 1 + Math.floor(next() * 6);
    for (let k = 0; k < 4 * size && out.length < size; k++) {
      out += pieces[Math.floor(next() * pieces.length)];
    }
    return [...out].slice(0, size).join("") || "a";
  };
  const out: ShapedStream = {
    events: [],
    content: 0,
    reasoning: 0,
    arguments: 0,
  };
  const w = writer(shape, out.events);
  w.start();
  const body = Math.max(1, n - 4);
  for (let i = 0; i < body; i++) {
    const t = text();
    if (i < body * 0.3) {
      out.reasoning += t.length;
      w.reasoning(t, i);
    } else if (shape === "vllm-tools") {
      out.arguments += t.length;
      w.argument(t, i);
    } else {
      out.content += t.length;
      w.content(t, i);
    }
  }
  w.end(body);
  return out;
}

interface Writer {
  start(): void;
  reasoning(text: string, i: number): void;
  content(text: string, i: number): void;
  argument(text: string, i: number): void;
  end(tokens: number): void;
}

const json = JSON.stringify;

function writer(shape: Shape, events: string[]): Writer {
  const sse = (data: string) => events.push(`data: ${data}\n\n`);
  switch (shape) {
    case "vllm-reasoning":
    case "vllm-both":
    case "vllm-tools":
    case "vllm-legacy": {
      const head =
        `{"id":"chatcmpl-aecb9c95ddeacbc0","object":"chat.completion.chunk","created":1796112871,"model":"openai/gpt-oss-20b","choices":[{"index":0,"delta":`;
      const tail = shape === "vllm-legacy"
        ? `,"logprobs":null,"finish_reason":null}]}`
        : `,"logprobs":null,"finish_reason":null,"token_ids":null}]}`;
      const reasoning = (t: string) =>
        shape === "vllm-both"
          ? `{"reasoning_content":${json(t)},"reasoning":${json(t)}}`
          : shape === "vllm-legacy"
          ? `{"reasoning_content":${json(t)}}`
          : `{"reasoning":${json(t)}}`;
      let called = false;
      return {
        start: () =>
          sse(
            `${head}{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"prompt_token_ids":null,"prompt_text":null}`,
          ),
        reasoning: (t) => sse(head + reasoning(t) + tail),
        content: (t) => sse(`${head}{"content":${json(t)}}${tail}`),
        argument: (t) => {
          if (!called) {
            called = true;
            sse(
              `${head}{"tool_calls":[{"id":"chatcmpl-tool-9f0886a4b003cfad","type":"function","index":0,"function":{"name":"get_weather","arguments":""}}]}${tail}`,
            );
          }
          sse(
            `${head}{"tool_calls":[{"index":0,"function":{"arguments":${
              json(t)
            }}}]}${tail}`,
          );
        },
        end: (tokens) => {
          sse(
            `${head}{},"logprobs":null,"finish_reason":"${
              shape === "vllm-tools" ? "tool_calls" : "stop"
            }","stop_reason":null,"token_ids":null}]}`,
          );
          sse(
            `{"id":"chatcmpl-aecb9c95ddeacbc0","object":"chat.completion.chunk","created":1796112871,"model":"openai/gpt-oss-20b","choices":[],"usage":{"prompt_tokens":80,"total_tokens":${
              80 + tokens
            },"completion_tokens":${tokens}}}`,
          );
          sse("[DONE]");
        },
      };
    }
    case "llamacpp": {
      let ms = 0;
      const chunk = (delta: string, i: number, finish = "null") => {
        ms += 11.37 + (i % 7) * 0.013;
        const n = i + 1;
        return `{"choices":[{"finish_reason":${finish},"index":0,"delta":${delta}}],"created":${
          1781492230 + Math.floor(ms / 1000)
        },"id":"chatcmpl-qC6laQHbZ2CmxNvJ4NoB1L93LcVF7nfe","model":"openai/gpt-oss-20b","system_fingerprint":"b9554-d403f00ec","object":"chat.completion.chunk","timings":{"cache_n":7,"prompt_n":10,"prompt_ms":251.51,"prompt_per_token_ms":25.151,"prompt_per_second":39.75985050296211,"predicted_n":${n},"predicted_ms":${ms},"predicted_per_token_ms":${
          ms / n
        },"predicted_per_second":${(n / ms) * 1000}}}`;
      };
      return {
        start: () => sse(chunk(`{"role":"assistant","content":null}`, 0)),
        reasoning: (t, i) => sse(chunk(`{"reasoning_content":${json(t)}}`, i)),
        content: (t, i) => sse(chunk(`{"content":${json(t)}}`, i)),
        argument: () => {},
        end: (tokens) => {
          sse(chunk(`{}`, tokens, `"stop"`));
          sse("[DONE]");
        },
      };
    }
    case "ollama-v1":
    case "lmstudio": {
      const head = shape === "ollama-v1"
        ? `{"id":"chatcmpl-48","object":"chat.completion.chunk","created":1788158507,"model":"gpt-oss:20b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":`
        : `{"id":"chatcmpl-cvixai6ph3q3cdz9huvig6","object":"chat.completion.chunk","created":1789147680,"model":"openai/gpt-oss-20b","system_fingerprint":"openai/gpt-oss-20b","choices":[{"index":0,"delta":`;
      const tail = shape === "ollama-v1"
        ? `,"finish_reason":null}]}`
        : `,"logprobs":null,"finish_reason":null}]}`;
      return {
        start: () => sse(`${head}{"role":"assistant","content":""}${tail}`),
        reasoning: (t) =>
          sse(
            `${head}${
              shape === "ollama-v1"
                ? `{"content":"","reasoning":${json(t)}}`
                : `{"reasoning":${json(t)}}`
            }${tail}`,
          ),
        content: (t) => sse(`${head}{"content":${json(t)}}${tail}`),
        argument: () => {},
        end: (tokens) => {
          sse(
            `${head}{}${
              tail.replace('"finish_reason":null', '"finish_reason":"stop"')
            }`,
          );
          sse(
            `${
              head.slice(0, head.indexOf('"choices"'))
            }"choices":[],"usage":{"prompt_tokens":74,"completion_tokens":${tokens},"total_tokens":${
              74 + tokens
            }}}`,
          );
          sse("[DONE]");
        },
      };
    }
    case "ollama-native": {
      let ns = 995999988;
      const line = (message: string, done = false, extra = "") => {
        ns += 17_653;
        const seconds = 39 + Math.floor(ns / 1e9);
        const at = `2025-08-09T18:22:${String(seconds % 60).padStart(2, "0")}.${
          String(ns % 1e9).padStart(9, "0")
        }Z`;
        events.push(
          `{"model":"gpt-oss:20b","created_at":"${at}","message":${message},"done":${done}${extra}}\n`,
        );
      };
      return {
        start: () => line(`{"role":"assistant","content":""}`),
        reasoning: (t) =>
          line(`{"role":"assistant","content":"","thinking":${json(t)}}`),
        content: (t) => line(`{"role":"assistant","content":${json(t)}}`),
        argument: () => {},
        end: (tokens) =>
          line(
            `{"role":"assistant","content":""}`,
            true,
            `,"done_reason":"stop","total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":74,"prompt_eval_duration":107000000,"eval_count":${tokens},"eval_duration":4635000000`,
          ),
      };
    }
  }
}
