/**
 * A stream of deltas as a web `ReadableStream` of bytes, to send on to a
 * browser: newline-delimited JSON, or server-sent events. Reasoning and
 * content stay apart, the end says whether the answer is complete, and an
 * error becomes a last message (`incomplete: true`) instead of a broken
 * connection.
 *
 * ```text
 * ndjson: {"reasoning":"The user asks…"}\n{"content":"Hi"}\n{"done":true,"finishReason":"stop"}\n
 * sse:    event: delta\ndata: {"content":"Hi"}\n\nevent: done\ndata: {"finishReason":"stop"}\n\n
 * ```
 *
 * @module
 */

import { checkKnownKeys, checkOneOf, type KeyRegistry } from "../checks.ts";
import { ConfigError, GptOssError } from "../errors/mod.ts";
import type { ChatCompletion, StreamDelta } from "../types.ts";

/**
 * How the bytes of `ChatStream.toReadableStream` are framed: one JSON object
 * per line, or server-sent events.
 *
 * @example Choosing server-sent events for a browser
 * ```ts
 * import type { StreamBodyFormat } from "@gptoss/client";
 * const format: StreamBodyFormat = "sse";
 * ```
 */
export type StreamBodyFormat = "ndjson" | "sse";

/**
 * How a stream body tells the browser about an error.
 *
 * @example Hiding the upstream server from a public page
 * ```ts
 * import { ContextSizeError, type StreamBodyOptions } from "@gptoss/client";
 * const options: StreamBodyOptions = {
 *   errorMessage: (error) =>
 *     error instanceof ContextSizeError
 *       ? "This conversation is too long: start a new one."
 *       : "The model could not answer. Try again.",
 * };
 * ```
 */
export interface StreamBodyOptions {
  /**
   * The message sent for an error; the error's own message by default. The
   * client's messages name the server's URL and say how to fix the setup,
   * which is right for a developer and too much for a public page: a proxy
   * can log the error itself and send a short text instead.
   */
  errorMessage?: (error: unknown) => string;
}

const BODY_KEYS: KeyRegistry<StreamBodyOptions> = { errorMessage: true };

/** What a stream body is made from: the deltas, then the completion. */
export interface DeltaSource extends AsyncIterable<StreamDelta> {
  completion(): Promise<ChatCompletion>;
}

/** What the last message says. */
interface Ending {
  done?: true;
  finishReason?: string | null;
  incomplete?: true;
  usage?: ChatCompletion["usage"];
  error?: { name: string; message: string };
}

const encoder = new TextEncoder();

function frame(
  format: StreamBodyFormat,
  kind: "delta" | "done" | "error",
  value: unknown,
): Uint8Array {
  const json = JSON.stringify(value);
  return encoder.encode(
    format === "ndjson" ? `${json}\n` : `event: ${kind}\ndata: ${json}\n\n`,
  );
}

/**
 * @param source The stream.
 * @param format `"ndjson"` (default) or `"sse"`.
 * @param options What an error says.
 * @returns The bytes; cancelling them cancels the request.
 */
export function streamBody(
  source: DeltaSource,
  format: StreamBodyFormat = "ndjson",
  options: StreamBodyOptions = {},
): ReadableStream<Uint8Array> {
  checkOneOf("format", format, ["ndjson", "sse"]);
  checkKnownKeys("options", options, BODY_KEYS);
  if (
    options.errorMessage !== undefined &&
    typeof options.errorMessage !== "function"
  ) {
    throw new ConfigError(
      "options.errorMessage",
      options.errorMessage,
      "a function from the error to the text to send",
    );
  }
  let iterator: AsyncIterator<StreamDelta> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= source[Symbol.asyncIterator]();
      try {
        // A pull must enqueue something or end the stream: one that returns
        // empty-handed is not called again. So deltas with nothing to send
        // (a finish reason, usage: both go in the last message) are skipped here.
        for (;;) {
          const { done, value } = await iterator.next();
          if (done) break;
          const delta: Record<string, unknown> = {};
          if (value.reasoning !== undefined) delta.reasoning = value.reasoning;
          if (value.content !== undefined) delta.content = value.content;
          if (value.toolCalls !== undefined) delta.toolCalls = value.toolCalls;
          if (Object.keys(delta).length && value.choice !== undefined) {
            delta.choice = value.choice;
          }
          if (Object.keys(delta).length) {
            controller.enqueue(frame(format, "delta", delta));
            return;
          }
        }
        const completion = await source.completion();
        const ending: Ending = {
          finishReason: completion.choices[0]?.finish_reason ?? null,
          ...(completion.usage ? { usage: completion.usage } : {}),
          ...(completion.incomplete ? { incomplete: true as const } : {}),
        };
        controller.enqueue(
          frame(
            format,
            "done",
            format === "ndjson" ? { done: true, ...ending } : ending,
          ),
        );
        controller.close();
      } catch (error) {
        const shown = {
          name: error instanceof GptOssError ? error.name : "Error",
          message: options.errorMessage?.(error) ??
            (error instanceof Error ? error.message : String(error)),
        };
        // What was sent before the error stays sent; the error says so.
        controller.enqueue(
          frame(
            format,
            "error",
            format === "ndjson"
              ? { error: shown, incomplete: true }
              : { ...shown, incomplete: true },
          ),
        );
        controller.close();
      }
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}
