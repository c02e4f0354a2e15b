/**
 * Where servers put GPT-OSS's reasoning (the harmony analysis channel):
 * `reasoning` (vLLM since late 2025, Ollama, LM Studio) or
 * `reasoning_content` (llama.cpp, vLLM before; some vLLM releases sent both
 * with the same text, so the two are never added together).
 *
 * @module
 */

/**
 * @param record A message or a stream delta from the wire.
 * @returns Its reasoning text, or `undefined` when it has none or it is empty.
 */
export function readReasoning(
  record: Record<string, unknown>,
): string | undefined {
  const reasoning = record.reasoning;
  if (typeof reasoning === "string" && reasoning !== "") return reasoning;
  const content = record.reasoning_content;
  if (typeof content === "string" && content !== "") return content;
  return undefined;
}
