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

import {
  checkKnownKeys,
  checkNonEmptyString,
  checkOneOf,
  type KeyRegistry,
} from "../checks.ts";
import { ConfigError } from "../errors/mod.ts";
import { assertValidMessages, contentText } from "../wire/messages.ts";
import {
  checkReasoningEffort,
  type ReasoningEffort,
} from "../wire/reasoning_effort.ts";
import { checkTools, type ToolDefinition } from "../wire/tools.ts";
import type { ChatMessage } from "../types.ts";
import { renderToolNamespace } from "./tool_namespace.ts";
import { piecesText } from "./encoding.ts";
import { harmonyPathPieces } from "./harmony_path.ts";
import { HarmonyWalk } from "./walk.ts";

/**
 * What the template puts in its own system message and developer message.
 *
 * @example Fixing the date so a rendering is reproducible
 * ```ts
 * import { type HarmonyPromptOptions, renderHarmonyPrompt } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const options: HarmonyPromptOptions = { currentDate: "2025-08-05", reasoningEffort: "high" };
 * const prompt = renderHarmonyPrompt([{ role: "user", content: "Hi" }], options);
 * assert.match(prompt, /Current date: 2025-08-05\n\nReasoning: high/);
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
  /**
   * How the server renders the conversation (see {@link Renderer}); the
   * chat template by default.
   */
  renderer?: Renderer;
}

/**
 * How a server turns a chat request into the model's prompt:
 *
 * - `"template"`: the gpt-oss chat template (llama.cpp, Ollama, LM Studio,
 *   and vLLM's `/tokenize`);
 * - `"vllm"`: vLLM's chat path from release 0.31: its conversion to harmony
 *   messages, where a first system or developer message becomes developer
 *   instructions, rendered by oss-harmony (each header part and each text
 *   encoded on its own, a tool result's recipient after its channel);
 * - `"vllm-0.30"`: vLLM's chat path in releases 0.23 to 0.30, rendered by
 *   openai-harmony 0.0.8;
 * - `"vllm-0.22"`: vLLM's chat path up to release 0.22, where the caller's
 *   system message stays a second system message.
 *
 * @example Counting as a vLLM 0.22 counts
 * ```ts
 * import { countMessageTokens, type Renderer } from "@gptoss/client";
 * import { gptOssTokenizer } from "@gptoss/client/tokenizer";
 * import assert from "node:assert/strict";
 * const messages = [
 *   { role: "system" as const, content: "You are terse." },
 *   { role: "user" as const, content: "Say hello" },
 * ];
 * const count = (renderer: Renderer) =>
 *   countMessageTokens(messages, {
 *     tokenizer: gptOssTokenizer,
 *     renderer,
 *     reasoningEffort: "high",
 *     currentDate: "2026-12-01",
 *   });
 * assert.equal(count("vllm-0.22"), 77); // what vLLM 0.22 reported (capture vllm/29)
 * assert.equal(count("vllm"), 80);
 * ```
 */
export type Renderer = "template" | "vllm" | "vllm-0.30" | "vllm-0.22";

const RENDERERS: readonly Renderer[] = [
  "template",
  "vllm",
  "vllm-0.30",
  "vllm-0.22",
];

/** @returns Whether a renderer is vLLM's chat path (openai-harmony's rendering). */
export function isHarmonyRenderer(
  renderer: Renderer | undefined,
): renderer is Exclude<Renderer, "template"> {
  return renderer !== undefined && renderer !== "template";
}

const HARMONY_KEYS: KeyRegistry<HarmonyPromptOptions> = {
  tools: true,
  reasoningEffort: true,
  currentDate: true,
  modelIdentity: true,
  renderer: true,
};

/**
 * Checks the template's options, wherever they are given: the value of each
 * field that is set (the caller checks the keys of its own shape).
 *
 * @param options An options object with template fields.
 * @returns Only the template's fields, checked.
 * @throws {ConfigError} For a wrong value.
 */
export function harmonyOptions(
  options: HarmonyPromptOptions,
): HarmonyPromptOptions {
  const template: HarmonyPromptOptions = {};
  if (options.tools !== undefined) {
    template.tools = checkTools("tools", options.tools);
  }
  if (options.reasoningEffort !== undefined) {
    template.reasoningEffort = checkReasoningEffort(
      "reasoningEffort",
      options.reasoningEffort,
    );
  }
  const date = options.currentDate;
  if (date !== undefined) {
    if (!(date instanceof Date) && typeof date !== "string") {
      throw new ConfigError(
        "currentDate",
        date,
        'a Date or a "YYYY-MM-DD" text',
      );
    }
    template.currentDate = date;
  }
  if (options.modelIdentity !== undefined) {
    template.modelIdentity = checkNonEmptyString(
      "modelIdentity",
      options.modelIdentity,
    );
  }
  if (options.renderer !== undefined) {
    template.renderer = checkOneOf("renderer", options.renderer, RENDERERS);
  }
  return template;
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

export function isInstructions(message: ChatMessage | undefined): boolean {
  return message?.role === "system" || message?.role === "developer";
}

/** @returns The `Current date:` line's date: the text given, or the date's `YYYY-MM-DD`. */
export function formatDate(date: string | Date | undefined): string {
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

export function developerMessage(
  instructions: string,
  tools: readonly ToolDefinition[] | undefined,
): string {
  if (!instructions && !tools?.length) return "";
  let out = "<|start|>developer<|message|>";
  if (instructions) out += `# Instructions\n\n${instructions}\n\n`;
  if (tools?.length) out += `# Tools\n\n${renderToolNamespace(tools)}`;
  return `${out}<|end|>`;
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
 * @throws {InvalidMessageError} For a malformed message.
 * @throws {ConfigError} For an unknown option or a wrong value.
 *
 * @example Rendering the prompt the server will see
 * ```ts
 * import { renderHarmonyPrompt } from "@gptoss/client";
 * import assert from "node:assert/strict";
 * const prompt = renderHarmonyPrompt(
 *   [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }],
 *   { currentDate: "2025-08-05", reasoningEffort: "low" },
 * );
 * assert.ok(prompt.includes("<|start|>developer<|message|># Instructions\n\nBe brief.\n\n<|end|>"));
 * assert.ok(prompt.endsWith("<|start|>user<|message|>Hi<|end|><|start|>assistant"));
 * ```
 */
export function renderHarmonyPrompt(
  messages: readonly ChatMessage[],
  options: HarmonyPromptOptions = {},
): string {
  assertValidMessages(messages, true);
  checkKnownKeys("options", options, HARMONY_KEYS);
  const checked = harmonyOptions(options);
  if (isHarmonyRenderer(checked.renderer)) {
    const { head, messages: parts, footer } = harmonyPathPieces(
      messages,
      checked,
    );
    return piecesText([...head, ...parts.flat(), ...footer]);
  }
  const { system, developer, messages: parts, footer } = harmonyPromptParts(
    messages,
    checked,
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
