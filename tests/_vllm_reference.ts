/**
 * vLLM's own rendering of chat requests for gpt-oss, by vLLM's code: each
 * release's `harmony_utils.py` with the openai-harmony it ships with, run by
 * tests/reference/vllm_harmony.py. The files come from PyPI, put in place by
 * `.ci/reference` (the folder it prints is `GPTOSS_REFERENCE`).
 *
 * @module
 */

import type { Renderer } from "../mod.ts";
import type { ChatRequestCase } from "./_conversations.ts";

/** One vLLM release, the harmony package it runs with, and how its chat path lays out instructions. */
export interface VllmRelease {
  version: string;
  harmony: string;
  layout: "separate-system" | "folded-instructions";
  /** The client's renderer for it. */
  renderer: Renderer;
}

/**
 * The releases tested: the last before instructions were folded (0.22.1,
 * the behaviour of the captured build), the last on openai-harmony 0.0.8
 * (0.30.0), and the latest on PyPI with oss-harmony (0.32.0).
 */
export const VLLM_RELEASES: readonly VllmRelease[] = [
  {
    version: "0.22.1",
    harmony: "0.0.8",
    layout: "separate-system",
    renderer: "vllm-0.22",
  },
  {
    version: "0.30.0",
    harmony: "0.0.8",
    layout: "folded-instructions",
    renderer: "vllm-0.30",
  },
  {
    version: "0.32.0",
    harmony: "0.0.11",
    layout: "folded-instructions",
    renderer: "vllm",
  },
];

/** What vLLM rendered for a case, or why it refused. */
export type VllmRendering = { ids: number[]; text: string } | {
  error: string;
};

/** The reference folder, or undefined when it is not set up here. */
export function referenceFolder(): string | undefined {
  const folder = Deno.env.get("GPTOSS_REFERENCE");
  if (!folder) return undefined;
  try {
    Deno.statSync(`${folder}/tiktoken/o200k_base.tiktoken`);
    return folder;
  } catch {
    return undefined;
  }
}

/**
 * @param folder The reference folder.
 * @param release The vLLM release to render with.
 * @param cases The chat requests.
 * @returns vLLM's rendering of each.
 */
export async function renderWithVllm(
  folder: string,
  release: VllmRelease,
  cases: readonly ChatRequestCase[],
): Promise<VllmRendering[]> {
  const script = new URL("./reference/vllm_harmony.py", import.meta.url)
    .pathname;
  const child = new Deno.Command("python3", {
    args: [
      script,
      `${folder}/vllm-${release.version}/harmony_utils.py`,
      release.layout,
    ],
    env: {
      PYTHONPATH: `${folder}/harmony-${release.harmony}`,
      TIKTOKEN_ENCODINGS_BASE: `${folder}/tiktoken`,
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(JSON.stringify(cases.map((c) => ({
      messages: c.messages,
      ...(c.tools ? { tools: c.tools } : {}),
      ...(c.reasoningEffort ? { reasoning_effort: c.reasoningEffort } : {}),
      date: c.date,
    })))),
  );
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) {
    throw new Error(
      `vLLM ${release.version}'s renderer failed: ${
        new TextDecoder().decode(stderr)
      }`,
    );
  }
  return JSON.parse(new TextDecoder().decode(stdout));
}
