/**
 * Renders a conversation the way the gpt-oss chat template does before the
 * server tokenizes it, so that counts can be exact:
 *
 * ```text
 * <|start|>system<|message|>You are ChatGPT… Current date… Reasoning: medium…<|end|>
 * <|start|>developer<|message|># Instructions\n\n{system prompt}\n\n# Tools\n\n{functions}<|end|>
 * <|start|>user<|message|>{text}<|end|>
 * <|start|>assistant to=functions.NAME<|channel|>commentary json<|message|>{arguments}<|call|>
 * <|start|>functions.NAME to=assistant<|channel|>commentary<|message|>"{result}"<|end|>
 * <|start|>assistant<|channel|>final<|message|>{text}<|end|>
 * <|start|>assistant
 * ```
 *
 * Source: chat_template.jinja of openai/gpt-oss-20b and openai/gpt-oss-120b
 * (copied in llama.cpp as models/templates/openai-gpt-oss-120b.jinja), with
 * the generation prompt on, as for every request. Where the template would
 * throw or leave something out, this errs on the side of counting more:
 * every tool call of a message is rendered (the template renders the first
 * only), and a system message after the first is rendered as developer
 * instructions (the template drops it; other renderers keep it).
 *
 * @module
 */

import { contentText } from "../wire/messages.ts";
import type { ReasoningEffort } from "../wire/reasoning_effort.ts";
import type { ToolDefinition } from "../wire/tools.ts";
import type { ChatMessage } from "../types.ts";
import { pythonJson } from "./python_json.ts";
import { renderToolNamespace } from "./tool_namespace.ts";

/**
 * What the template puts in its own system message and developer message.
 *
 * @example Fixing the date so a rendering is reproducible
 * ```ts
 * import { type HarmonyPromptOptions, renderHarmonyPrompt } from "@gptoss/client";
 * const options: HarmonyPromptOptions = { currentDate: "2025-08-05", reasoningEffort: "high" };
 * const prompt = renderHarmonyPrompt([{ role: "user", content: "Hi" }], options);
 * console.log(prompt.includes("Reasoning: high")); // true
 * ```
 */
export interface HarmonyPromptOptions {
  /** The request's tools, rendered in the developer message. */
  tools?: readonly ToolDefinition[];
  /** The `Reasoning:` line; the template's default is `"medium"`. */
  reasoningEffort?: ReasoningEffort;
  /** The `Current date:` line: a `YYYY-MM-DD` text or a date; today by default. */
  currentDate?: string | Date;
  /** The first line of the system message; the template's default otherwise. */
  modelIdentity?: string;
}

/**
 * A rendered conversation cut where messages begin: the parts that are sent
 * whatever is dropped, and each message's own part.
 */
export interface HarmonyPromptParts {
  /** The template's own system message. */
  system: string;
  /** Whether `system` has the template's default identity, whose tokens are known. */
  defaultSystem: boolean;
  /** The developer message: the first system prompt and the tools; `""` when neither. */
  developer: string;
  /** Each message's rendering; `""` for the first message when it became the developer message. */
  messages: string[];
  /** `<|start|>assistant`, which primes the reply. */
  footer: string;
}

const DEFAULT_IDENTITY =
  "You are ChatGPT, a large language model trained by OpenAI.";
const FOOTER = "<|start|>assistant";

/**
 * The exact o200k_harmony tokens of the template's system message with the
 * default identity, whatever the date and the reasoning effort (a date is
 * always the same digit groups; low, medium and high are one token each).
 * Checked in tests/count_test.ts.
 */
export const DEFAULT_SYSTEM_MESSAGE_TOKENS = {
  plain: 61,
  withTools: 75,
} as const;

function isInstructions(message: ChatMessage | undefined): boolean {
  return message?.role === "system" || message?.role === "developer";
}

function formatDate(date: string | Date | undefined): string {
  if (typeof date === "string") return date;
  const d = date ?? new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function systemMessage(options: HarmonyPromptOptions): string {
  let out =
    `<|start|>system<|message|>${options.modelIdentity ?? DEFAULT_IDENTITY}\n` +
    `Knowledge cutoff: 2024-06\nCurrent date: ${
      formatDate(options.currentDate)
    }\n\n` +
    `Reasoning: ${options.reasoningEffort ?? "medium"}\n\n` +
    "# Valid channels: analysis, commentary, final. Channel must be included for every message.";
  if (options.tools?.length) {
    out +=
      "\nCalls to these tools must go to the commentary channel: 'functions'.";
  }
  return `${out}<|end|>`;
}

function developerMessage(
  instructions: string,
  tools: readonly ToolDefinition[] | undefined,
): string {
  if (!instructions && !tools?.length) return "";
  let out = "<|start|>developer<|message|>";
  if (instructions) out += `# Instructions\n\n${instructions}\n\n`;
  if (tools?.length) out += `# Tools\n\n${renderToolNamespace(tools)}`;
  return `${out}<|end|>`;
}

/** Tool-call arguments as the template writes them: parsed, then `tojson`. */
function argumentsJson(text: string): string {
  try {
    return pythonJson(JSON.parse(text));
  } catch {
    return JSON.stringify(text);
  }
}

/**
 * Walks a conversation in order, keeping what the template carries from one
 * message to the next: the name of the last tool call (which names a tool
 * result) and, for each message, whether a later assistant message answers
 * without calling tools (which drops the analysis of earlier tool calls).
 */
export class HarmonyWalk {
  readonly #messages: readonly ChatMessage[];
  readonly #finalAfter: Uint8Array;
  readonly #first: boolean;
  #lastCall = "";
  readonly #words = new Map<string, number>();

  /** @param messages The conversation. */
  constructor(messages: readonly ChatMessage[]) {
    this.#messages = messages;
    this.#first = isInstructions(messages[0]);
    this.#finalAfter = new Uint8Array(messages.length);
    let seenFinal = false;
    for (let i = messages.length - 1; i >= 0; i--) {
      this.#finalAfter[i] = seenFinal ? 1 : 0;
      const m = messages[i];
      if (m.role === "assistant" && !m.tool_calls?.length) seenFinal = true;
    }
  }

  /**
   * Notes message `i` without rendering it: call for every message, in order,
   * that is not {@link HarmonyWalk.render}ed.
   */
  skip(i: number): void {
    const m = this.#messages[i];
    if (m.role !== "assistant") return;
    const calls = m.tool_calls;
    if (!calls?.length) this.#lastCall = "";
    else this.#lastCall = calls[calls.length - 1].function.name;
  }

  /**
   * Counts message `i` from its special tokens and the texts between them,
   * without building its rendering; `undefined` (and nothing noted) when a
   * text holds special-token markup, for {@link HarmonyWalk.render} to handle.
   *
   * @param i The message.
   * @param count Counts an ordinary text.
   */
  countPieces(i: number, count: (text: string) => number): number | undefined {
    const message = this.#messages[i];
    if (i === 0 && this.#first) return 0;
    const text = contentText(message.content);
    const plain = (t: string) => t.includes("<|") ? NaN : t ? count(t) : 0;
    // The template's own words are counted once per walk.
    const word = (t: string) => {
      let n = this.#words.get(t);
      if (n === undefined) this.#words.set(t, n = count(t));
      return n;
    };
    let n: number;
    let lastCall = this.#lastCall;
    switch (message.role) {
      case "system":
      case "developer":
        n = text
          ? 3 + word("developer") + plain(`# Instructions\n\n${text}\n\n`)
          : 0;
        break;
      case "user":
        n = 3 + word("user") + plain(text);
        break;
      case "tool":
        n = 4 + plain(`functions.${lastCall} to=assistant`) +
          word("commentary") + plain(JSON.stringify(text));
        break;
      case "assistant": {
        const calls = message.tool_calls ?? [];
        if (calls.length === 0) {
          lastCall = "";
          n = 4 + word("assistant") + word("final") + plain(text);
          break;
        }
        n = 0;
        const analysis = text || message.reasoning;
        if (analysis && !this.#finalAfter[i]) {
          n += 4 + word("assistant") + word("analysis") + plain(analysis);
        }
        for (const call of calls) {
          n += 4 + plain(`assistant to=functions.${call.function.name}`) +
            word("commentary json") +
            plain(argumentsJson(call.function.arguments));
          lastCall = call.function.name;
        }
        break;
      }
      default:
        return 0;
    }
    // NaN: a text held special-token markup.
    if (Number.isNaN(n)) return undefined;
    this.#lastCall = lastCall;
    return n;
  }

  /** Renders message `i` (the messages before it walked already). */
  render(i: number): string {
    const message = this.#messages[i];
    if (i === 0 && this.#first) return "";
    const text = contentText(message.content);
    switch (message.role) {
      case "system":
      case "developer":
        return developerMessage(text, undefined);
      case "user":
        return `<|start|>user<|message|>${text}<|end|>`;
      case "tool":
        return `<|start|>functions.${this.#lastCall} to=assistant<|channel|>commentary<|message|>${
          JSON.stringify(text)
        }<|end|>`;
      case "assistant": {
        const calls = message.tool_calls ?? [];
        if (calls.length === 0) {
          this.#lastCall = "";
          return `<|start|>assistant<|channel|>final<|message|>${text}<|end|>`;
        }
        let out = "";
        const analysis = text || message.reasoning;
        if (analysis && !this.#finalAfter[i]) {
          out +=
            `<|start|>assistant<|channel|>analysis<|message|>${analysis}<|end|>`;
        }
        for (const call of calls) {
          out += `<|start|>assistant to=functions.${call.function.name}` +
            `<|channel|>commentary json<|message|>${
              argumentsJson(call.function.arguments)
            }<|call|>`;
          this.#lastCall = call.function.name;
        }
        return out;
      }
      default:
        return "";
    }
  }
}

/**
 * The parts of the prompt that do not belong to a message after the first:
 * the template's system message, the developer message and the footer.
 */
export function harmonyFixedParts(
  messages: readonly ChatMessage[],
  options: HarmonyPromptOptions = {},
): Omit<HarmonyPromptParts, "messages"> {
  const first = isInstructions(messages[0]);
  return {
    // Rendered when read: a count with a known system message skips it.
    get system() {
      return systemMessage(options);
    },
    defaultSystem: options.modelIdentity === undefined,
    developer: developerMessage(
      first ? contentText(messages[0].content) : "",
      options.tools,
    ),
    footer: FOOTER,
  };
}

/**
 * Renders each message of a conversation as the gpt-oss chat template does.
 *
 * @param messages The conversation.
 * @param options Tools, reasoning effort, date and identity.
 * @returns The fixed parts and each message's part.
 */
export function harmonyPromptParts(
  messages: readonly ChatMessage[],
  options: HarmonyPromptOptions = {},
): HarmonyPromptParts {
  const walk = new HarmonyWalk(messages);
  return {
    ...harmonyFixedParts(messages, options),
    messages: messages.map((_, i) => walk.render(i)),
  };
}

/**
 * Renders a conversation as the prompt the gpt-oss chat template makes of it,
 * generation prompt included.
 *
 * @param messages The conversation.
 * @param options Tools, reasoning effort, date and identity.
 * @returns The prompt text, special tokens written out.
 *
 * @example Rendering the prompt the server will see
 * ```ts
 * import { renderHarmonyPrompt } from "@gptoss/client";
 * const prompt = renderHarmonyPrompt(
 *   [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }],
 *   { currentDate: "2025-08-05", reasoningEffort: "low" },
 * );
 * console.log(prompt.endsWith("<|start|>user<|message|>Hi<|end|><|start|>assistant")); // true
 * ```
 */
export function renderHarmonyPrompt(
  messages: readonly ChatMessage[],
  options: HarmonyPromptOptions = {},
): string {
  const { system, developer, messages: parts, footer } = harmonyPromptParts(
    messages,
    options,
  );
  return system + developer + parts.join("") + footer;
}

/**
 * One message's part, rendered in place, reading only the messages it
 * depends on: the call that a tool result answers, and for a message that
 * calls tools, the messages up to the next answer.
 *
 * @param messages The conversation.
 * @param index The message to render.
 * @returns Its part, as {@link harmonyPromptParts} would give it.
 */
export function harmonyMessagePart(
  messages: readonly ChatMessage[],
  index: number,
): string {
  const message = messages[index];
  if (index === 0 && isInstructions(message)) return "";
  let from = index;
  if (message.role === "tool") {
    while (from > 0 && !messages[from].tool_calls?.length) from--;
  }
  let to = index + 1;
  if (message.role === "assistant" && message.tool_calls?.length) {
    while (
      to < messages.length &&
      !(messages[to].role === "assistant" && !messages[to].tool_calls?.length)
    ) to++;
    to = Math.min(to + 1, messages.length);
  }
  // A slice that starts with a system message would make it the developer
  // message; the slice here starts with the message or the call it answers.
  const slice = messages.slice(from, to);
  const parts = harmonyPromptParts(
    isInstructions(slice[0])
      ? [{ role: "user", content: "" }, ...slice]
      : slice,
  ).messages;
  return parts[index - from + (isInstructions(slice[0]) ? 1 : 0)];
}
