/**
 * Which of vLLM's renderings a vLLM runs, from the version its `GET /version`
 * reports: the layout of instructions changed in 0.23 (a first system
 * message became developer instructions) and the harmony package in 0.31
 * (oss-harmony, whose tool results put the recipient after the channel).
 *
 * A development build ("0.0.0+g28be48fa9.cpu", capture vllm/27) says
 * nothing of its code; nor does a `.dev` build of a release that has both
 * behaviours in its history (0.22.x and 0.30.x: the changes landed between
 * those releases and the next). Those are unknown.
 *
 * @module
 */

import type { Renderer } from "../harmony/prompt.ts";

/**
 * @param version What vLLM's `GET /version` said.
 * @returns Its renderer, or `undefined` when the version does not tell.
 */
export function vllmRenderer(
  version: string | undefined,
): Exclude<Renderer, "template"> | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(.*)$/.exec(version ?? "");
  if (!match) return undefined;
  const [major, minor, patch] = match.slice(1, 4).map(Number);
  // "0.22.1+cu128" is a release built locally; ".devN" or "+g<commit>" is not.
  const development = /\.dev|\+g[0-9a-f]/.test(match[4]);
  if (major === 0 && minor === 0 && patch === 0) return undefined;
  if (major > 0 || minor >= 31) return "vllm";
  if (minor >= 23) {
    return development && minor === 30 ? undefined : "vllm-0.30";
  }
  return development && minor === 22 ? undefined : "vllm-0.22";
}

/** @returns The version in a `GET /version` answer, if it has one. */
export function readVllmVersion(body: unknown): string | undefined {
  const version = (body as { version?: unknown } | null)?.version;
  return typeof version === "string" && version ? version : undefined;
}
