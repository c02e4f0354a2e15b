// A prompt over vLLM's window, sent by a client whose own window is larger
// (so that vLLM is the one to refuse): a ContextSizeError with vLLM's numbers.
import assert from "node:assert/strict";
import { type ApiName, ContextSizeError, GptOssClient } from "../../mod.ts";

export async function assertRefusedOverWindow(
  baseUrl: string,
  api: ApiName = "chat",
): Promise<void> {
  const roomy = new GptOssClient({
    baseUrl,
    model: "openai/gpt-oss-20b",
    api,
    maxContextSize: 100_000,
    maxTokens: 8,
    maxRetries: 0,
  });
  await assert.rejects(
    roomy.generateResponse([{ role: "user", content: "word ".repeat(9_000) }]),
    (error: unknown) => {
      assert.ok(error instanceof ContextSizeError, String(error));
      assert.equal(error.maxContextSize, 8192);
      assert.ok(error.promptTokens !== undefined && error.promptTokens > 8192);
      return true;
    },
  );
}
