/**
 * What the gpt-oss chat template adds around the caller's text, in tokens.
 * Servers render the conversation in the harmony format before tokenizing:
 *
 * ```text
 * <|start|>system<|message|>You are ChatGPT… Reasoning: medium … <|end|>
 * <|start|>developer<|message|># Instructions\n\n{system prompt}<|end|>
 * <|start|>user<|message|>{text}<|end|>
 * <|start|>assistant<|channel|>final<|message|>{text}<|end|>
 * <|start|>assistant
 * ```
 *
 * Source: the chat_template.jinja published with openai/gpt-oss-20b and
 * openai/gpt-oss-120b (copied in llama.cpp as models/templates/openai-gpt-oss-120b.jinja).
 *
 * @module
 */

/**
 * The template's own system message (model identity, knowledge cutoff, current
 * date, reasoning level, valid channels) plus the `<|start|>assistant` that
 * primes the reply: about 62 tokens, rounded up.
 */
export const CONVERSATION_OVERHEAD = 64;

/** `<|start|>`, the role, `<|message|>` and `<|end|>`. */
export const MESSAGE_OVERHEAD = 4;

/** `# Instructions\n\n` in front of a system prompt rendered as a developer message. */
export const INSTRUCTIONS_HEADER = 4;

/** `<|channel|>final` on an assistant message. */
export const ASSISTANT_CHANNEL = 2;

/**
 * A tool call: `<|channel|>commentary to=functions.` before the name and
 * ` <|constrain|>json` after it, `<|call|>` instead of `<|end|>`.
 */
export const TOOL_CALL_OVERHEAD = 8;

/** A tool result: `functions.` and ` to=assistant<|channel|>commentary`. */
export const TOOL_RESULT_OVERHEAD = 7;
