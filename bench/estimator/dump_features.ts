/**
 * Writes the estimator's features and the exact token count of every
 * calibration sample to a JSON file, for fit_weights.py.
 *
 * ```sh
 * deno run --allow-read --allow-write bench/estimator/dump_features.ts /tmp/features.json
 * ```
 *
 * @module
 */

import {
  FEATURE_NAMES,
  scanFeatures,
} from "../../src/context/_estimate_features.ts";
import { gptOssTokenizer } from "../../tokenizer/mod.ts";
import { loadSamples, type Sample } from "./samples.ts";

const output = Deno.args[0] ?? "features.json";
const features = new Float64Array(FEATURE_NAMES.length);
const rows = [];
const samples: { size: number; sample: Sample }[] = [];
for (const size of [400, 1500]) {
  for (const sample of await loadSamples(size, size === 1500)) {
    samples.push({ size, sample });
  }
}
for (const { size, sample } of samples) {
  const { accented, letters } = scanFeatures(sample.text, features);
  rows.push({
    kind: sample.kind,
    name: sample.name,
    size,
    heldOut: sample.heldOut,
    exact: gptOssTokenizer.count(sample.text),
    accented,
    letters,
    features: [...features],
  });
}
await Deno.writeTextFile(
  output,
  JSON.stringify({ names: FEATURE_NAMES, rows }),
);
console.log(
  `${rows.length} samples, ${FEATURE_NAMES.length} features -> ${output}`,
);
