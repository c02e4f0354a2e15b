import assert from "node:assert/strict";
import { readVllmVersion, vllmRenderer } from "../src/server/vllm_version.ts";

Deno.test("vllmRenderer() picks each release's rendering, and none for a build that does not say", () => {
  const cases: [string | undefined, string | undefined][] = [
    ["0.10.1", "vllm-0.22"],
    ["0.21.0", "vllm-0.22"],
    ["0.22.1", "vllm-0.22"],
    ["0.23.0", "vllm-0.30"],
    ["v0.27.1", "vllm-0.30"],
    ["0.30.0", "vllm-0.30"],
    ["0.31.0", "vllm"],
    ["0.32.0", "vllm"],
    ["0.33.0", "vllm"],
    ["1.0.0", "vllm"],
    ["0.32.0+cpu", "vllm"],
    ["0.22.1+cu128", "vllm-0.22"],
    ["0.23.1.dev12+gabcdef0", "vllm-0.30"],
    ["0.21.1.dev3+g0123456", "vllm-0.22"],
    // Development builds between the releases where a change landed.
    ["0.22.1.dev40+g28be48fa9", undefined],
    ["0.30.1.dev7+g1234567", undefined],
    // The captured build (vllm/27): no release in its version.
    ["0.0.0+g28be48fa9.cpu", undefined],
    ["", undefined],
    [undefined, undefined],
    ["main", undefined],
  ];
  for (const [version, renderer] of cases) {
    assert.equal(vllmRenderer(version), renderer, String(version));
  }
  assert.equal(readVllmVersion({ version: "0.32.0" }), "0.32.0");
  assert.equal(readVllmVersion({ version: 32 }), undefined);
  assert.equal(readVllmVersion("0.32.0"), undefined);
  assert.equal(readVllmVersion(null), undefined);
});
