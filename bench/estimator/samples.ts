/**
 * The texts the estimator is calibrated and checked on: windows of the
 * corpus under `corpus/` (see SOURCES.md) and of the repository's captured
 * server transcripts, plus seeded random base64, hex, UUIDs and emoji.
 *
 * @module
 */

/** One text to measure, with its kind. */
export interface Sample {
  /** The kind of text, as reported in the README's table. */
  kind: string;
  /** Where it comes from: file and offset, or generator and seed. */
  name: string;
  /** Kept out of the fit, to check the estimator on text it was not fitted to. */
  heldOut: boolean;
  text: string;
}

const CORPUS = new URL("./corpus/", import.meta.url);
const FIXTURES = new URL("../../tests/fixtures/", import.meta.url);

const KIND_BY_PREFIX: Record<string, string> = {
  prose: "English prose",
  table: "English tables and names",
  code: "Source code",
  json: "JSON",
};

const KIND_BY_LANGUAGE: Record<string, string> = {
  zh_cn: "Chinese",
  zh_tw: "Chinese",
  ja: "Japanese",
  ko: "Korean",
  ru: "Russian",
  uk: "Ukrainian and Bulgarian",
  bg: "Ukrainian and Bulgarian",
  el: "Greek",
};

function kindOfFile(file: string): string {
  if (file.startsWith("heldout_")) return kindOfFile(file.slice(8));
  const vimtutor = /^vimtutor_(.+)\.txt$/.exec(file);
  if (vimtutor) return KIND_BY_LANGUAGE[vimtutor[1]] ?? "European languages";
  return KIND_BY_PREFIX[file.split("_")[0]] ?? "Other";
}

/** Cuts a text into windows of `size` code points; the last may be shorter. */
function windows(text: string, size: number): { at: number; text: string }[] {
  const points = [...text];
  const out: { at: number; text: string }[] = [];
  for (let at = 0; at < points.length; at += size) {
    const window = points.slice(at, at + size).join("");
    if (window.trim().length >= 100) out.push({ at, text: window });
  }
  return out;
}

/** A small deterministic generator, so that every run measures the same texts. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(next: () => number): string {
  const hex = Array.from(
    { length: 32 },
    () => Math.floor(next() * 16).toString(16),
  );
  hex[12] = "4";
  return [0, 8, 12, 16, 20, 32].slice(1).map((end, i, ends) =>
    hex.slice(i === 0 ? 0 : ends[i - 1], end).join("")
  ).join("-");
}

const COMMON_EMOJI = [
  "😀",
  "😂",
  "🎉",
  "👍",
  "👍🏽",
  "🚀",
  "❤️",
  "👨‍👩‍👧‍👦",
  "🇫🇷",
  "🔥",
  "🤖",
  "✅",
  "🙏",
  "😍",
  "💯",
  "✨",
  "🥳",
  "😭",
  "🤔",
  "👀",
];

function allEmoji(): string[] {
  const out: string[] = [];
  for (let c = 0x1f300; c <= 0x1faff; c++) {
    const s = String.fromCodePoint(c);
    if (/\p{Extended_Pictographic}/u.test(s)) out.push(s);
  }
  return out;
}

/** Seeded random texts of the kinds a corpus cannot hold: noise and emoji. */
export function generatedSamples(count = 20): Sample[] {
  const next = random(2026);
  const out: Sample[] = [];
  const bytes = (n: number) =>
    Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
  const everyEmoji = allEmoji();
  for (let k = 0; k < count; k++) {
    const b = bytes(200 + k * 40);
    out.push({
      kind: "Base64",
      name: `base64 #${k}`,
      heldOut: false,
      text: btoa(String.fromCharCode(...b)),
    });
    const hex = [...b].map((x) => x.toString(16).padStart(2, "0"));
    const styles = [
      hex.join(""),
      hex.join("").toUpperCase(),
      hex.join(" "),
      "0x" + hex.join(", 0x"),
    ];
    out.push({
      kind: "Hex",
      name: `hex #${k}`,
      heldOut: false,
      text: styles[k % 4],
    });
    out.push({
      kind: "UUIDs",
      name: `uuid #${k}`,
      heldOut: false,
      text: Array.from({ length: 8 + k }, () => uuid(next)).join(
        k % 2 ? "\n" : ", ",
      ),
    });
    const set = k % 2 ? everyEmoji : COMMON_EMOJI;
    let emoji = "";
    for (let i = 0; i < 80 + k * 10; i++) {
      emoji += set[Math.floor(next() * set.length)];
      if (next() < 0.2) emoji += " ";
      if (k % 4 === 0 && next() < 0.3) emoji += "so good ";
    }
    out.push({
      kind: "Emoji",
      name: `emoji #${k}`,
      heldOut: false,
      text: emoji,
    });
    const letter = () => String.fromCharCode(97 + Math.floor(next() * 26));
    const words = Array.from({ length: 100 + k * 10 }, () => {
      const word = Array.from({ length: 2 + Math.floor(next() * 8) }, letter)
        .join("");
      return k % 3 === 0 ? word[0].toUpperCase() + word.slice(1) : word;
    });
    out.push({
      kind: "Random letters",
      name: `letters #${k}`,
      heldOut: false,
      text: words.join(k % 2 ? " " : "_"),
    });
  }
  return out;
}

/**
 * Every sample: corpus windows of `size` code points, the JSON transcripts
 * under tests/fixtures, and the generated texts.
 *
 * @param size The window size in code points.
 * @param generated Whether to add the generated texts.
 */
export async function loadSamples(
  size = 1500,
  generated = true,
): Promise<Sample[]> {
  const sources: { url: URL; kind: string; label: string }[] = [];
  for await (const entry of Deno.readDir(CORPUS)) {
    if (entry.isFile && entry.name !== "SOURCES.md") {
      const url = new URL(entry.name, CORPUS);
      sources.push({ url, kind: kindOfFile(entry.name), label: entry.name });
    }
  }
  for await (const entry of Deno.readDir(FIXTURES)) {
    if (entry.isFile && entry.name.endsWith(".json")) {
      const url = new URL(entry.name, FIXTURES);
      sources.push({ url, kind: "JSON", label: entry.name });
    }
  }
  sources.sort((a, b) => a.label.localeCompare(b.label));
  const out: Sample[] = [];
  for (const { url, kind, label } of sources) {
    for (const w of windows(await Deno.readTextFile(url), size)) {
      const name = `${label}@${w.at}`;
      const heldOut = label.startsWith("heldout_");
      out.push({ kind, name, heldOut, text: w.text });
    }
  }
  return generated ? [...out, ...generatedSamples()] : out;
}
