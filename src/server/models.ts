/**
 * The models a server lists at `GET /v1/models`, and the choice of one when
 * the caller did not name it.
 *
 * @module
 */

import { ConfigError, InvalidResponseError } from "../errors/mod.ts";
import { excerpt } from "../http/error_body.ts";

/**
 * A model as `GET /v1/models` lists it. vLLM adds `max_model_len`, the
 * context window it serves.
 *
 * @example Describing a served model
 * ```ts
 * import type { ModelInfo } from "@gptoss/client";
 * const model: ModelInfo = { id: "openai/gpt-oss-20b", object: "model", max_model_len: 131072 };
 * ```
 */
export interface ModelInfo {
  /** The id to send as `model`. */
  id: string;
  /** Whatever else the server says about it. */
  [field: string]: unknown;
}

/**
 * @param body The parsed answer of `GET /v1/models`.
 * @param raw Its text, for the error.
 * @returns The listed models.
 * @throws {InvalidResponseError} When it is not `{ data: [{ id }, …] }`.
 */
export function readModelList(body: unknown, raw: string): ModelInfo[] {
  const data = (body as Record<string, unknown> | null)?.data;
  if (!Array.isArray(data)) {
    throw new InvalidResponseError(
      "GET /v1/models did not answer with a { data: [...] } model list.",
      excerpt(raw),
    );
  }
  return data.filter((m): m is ModelInfo =>
    m !== null && typeof m === "object" &&
    typeof (m as ModelInfo).id === "string"
  );
}

/**
 * Picks the model to use: the only one listed, or the only one whose id
 * contains "gpt-oss".
 *
 * @param models What the server lists.
 * @param server The server's address, for the error.
 * @returns The model id.
 * @throws {ConfigError} When there is no model, or several and no single
 * gpt-oss one: the message lists the ids.
 */
export function pickModel(
  models: readonly ModelInfo[],
  server: string,
): string {
  if (models.length === 1) return models[0].id;
  const ids = models.map((m) => m.id);
  if (ids.length === 0) {
    throw new ConfigError(
      "model",
      undefined,
      "a model id",
      `The server at ${server} lists no models. Load a gpt-oss model on it, or set the model option.`,
    );
  }
  const gptOss = ids.filter((id) => id.toLowerCase().includes("gpt-oss"));
  if (gptOss.length === 1) return gptOss[0];
  const list = (gptOss.length > 1 ? gptOss : ids).map((id) =>
    JSON.stringify(id)
  ).join(", ");
  throw new ConfigError(
    "model",
    undefined,
    "one of the server's models",
    `The server at ${server} lists several models and cannot tell which to use: ${list}. Set the model option to one of them.`,
  );
}
