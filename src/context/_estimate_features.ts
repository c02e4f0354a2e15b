/**
 * The features the built-in estimator weighs: one pass over the text that
 * mimics how o200k's pre-tokenizer cuts it into pieces (words with their
 * leading space, numbers of up to three digits, runs of punctuation, runs of
 * white space) and counts the pieces by kind, plus the characters of the
 * scripts that the pre-tokenizer does not split by word.
 *
 * The same scan serves the estimator (which multiplies the counts by
 * calibrated weights) and the calibration scripts under `bench/estimator/`
 * (which fit those weights against the exact tokenizer).
 *
 * @module
 */

import { COMMON_BIGRAMS } from "./_common_bigrams.ts";

const SPACE = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const PUNCT = 4;
const OTHER = 5;

const ASCII_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_KIND[c] = c >= 97 && c <= 122
    ? LOWER
    : c >= 65 && c <= 90
    ? UPPER
    : c >= 48 && c <= 57
    ? DIGIT
    : c === 32 || (c >= 9 && c <= 13)
    ? SPACE
    : PUNCT;
}

function kindOf(c: number): number {
  return c < 128 ? ASCII_KIND[c] : OTHER;
}

/** The names of the features, in the order of their counts. */
export const FEATURE_NAMES: readonly string[] = [
  "line break run",
  "extra space run",
  "space before digit",
  "number piece",
  "punct run",
  "punct extra chars",
  "repeated run",
  "repeated /16",
  "absorbed punct",
  "noisy piece",
  "noisy letters",
  "noisy punct",
  "accented latin",
  "greek",
  "cyrillic",
  "han",
  "kana",
  "hangul",
  "cjk punct",
  "general punct",
  "symbols",
  "other script",
  "latin1 symbol",
  "zwj or vs",
  "emoji",
  "astral",
  "non-ascii word",
  "tab",
  // ASCII words; their weights depend on how foreign the text looks.
  "L.piece",
  "L.letters>3",
  "L.letters>6",
  "L.letters>9",
  "L.capital",
  "L.caps",
  "L.caps>3",
  "L.no prefix",
  "L.punct prefix",
  "L.tab prefix",
  "L.rare pairs",
];

/** Where the ASCII word features start in {@link FEATURE_NAMES}. */
export const WORD_FEATURES_START = 28;

/** How foreign the text looks, from its accented letters. */
export interface ScanSummary {
  /** Latin letters with diacritics (é, ß, ą, ơ…). */
  accented: number;
  /** All Latin letters, accented or not. */
  letters: number;
}

/**
 * Counts the features of a text.
 *
 * @param text Any text.
 * @param out Receives the counts, one per {@link FEATURE_NAMES} entry; zeroed first.
 * @returns The accented and total Latin letters.
 */
export function scanFeatures(text: string, out: Float64Array): ScanSummary {
  out.fill(0);
  const n = text.length;
  let accented = 0;
  let letters = 0;
  let i = 0;
  let chunkEnd = -1;
  let noisy = false;
  // What precedes a word: 0 a space, 1 nothing, 2 one punctuation mark, 3 a tab.
  let prefix = 1;
  let inWord = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    const kind = kindOf(c);
    if (kind !== SPACE && i >= chunkEnd) {
      // A run without spaces that switches between digits, lower and upper
      // case all the time (base64, hex, hashes) tokenizes like noise.
      let j = i;
      let switches = 0;
      let previous = -1;
      for (; j < n; j++) {
        const k = kindOf(text.charCodeAt(j));
        if (k === SPACE) break;
        if (
          previous !== -1 && k !== previous &&
          (k === DIGIT || previous === DIGIT ||
            (previous === LOWER && k === UPPER))
        ) switches++;
        previous = k;
      }
      chunkEnd = j;
      noisy = j - i >= 16 && switches * 4 >= j - i;
    }
    if (kind === SPACE) {
      inWord = false;
      let j = i;
      let lastBreak = -1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 10 || d === 13) lastBreak = j;
        else if (d === 9) out[27]++;
        else if (!(d === 32 || d === 11 || d === 12)) break;
      }
      const tail = j - Math.max(i, lastBreak + 1);
      if (lastBreak >= 0) out[0]++;
      const next = j < n ? kindOf(text.charCodeAt(j)) : SPACE;
      let absorbed = 0;
      prefix = 1;
      if (tail > 0 && j < n) {
        if (next === DIGIT) out[2]++;
        else {
          // The last space or tab joins the piece that follows.
          absorbed = 1;
          prefix = text.charCodeAt(j - 1) === 32 ? 0 : 3;
        }
      }
      if (tail - absorbed > 1 || (tail - absorbed === 1 && next !== DIGIT)) {
        out[1]++;
      }
      i = j;
      continue;
    }
    if (kind === DIGIT) {
      inWord = false;
      let j = i + 1;
      while (j < n && kindOf(text.charCodeAt(j)) === DIGIT) j++;
      out[3] += Math.ceil((j - i) / 3);
      i = j;
      prefix = 1;
      continue;
    }
    if (kind === PUNCT) {
      inWord = false;
      let j = i + 1;
      let same = true;
      while (j < n && kindOf(text.charCodeAt(j)) === PUNCT) {
        if (text.charCodeAt(j) !== c) same = false;
        j++;
      }
      const run = j - i;
      const next = j < n ? kindOf(text.charCodeAt(j)) : SPACE;
      // A lone mark joins the word after it, unless a space already joined
      // the mark (" `" is one piece, and the word after it stands alone).
      const spaced = prefix === 0;
      prefix = 1;
      if (noisy) out[11] += run;
      else if (
        run === 1 && !spaced &&
        (next === LOWER || next === UPPER || next === OTHER)
      ) {
        out[8]++;
        prefix = 2;
      } else if (same && run > 1) {
        out[6]++;
        out[7] += run >> 4;
      } else {
        out[4]++;
        out[5] += run - 1;
      }
      i = j;
      continue;
    }
    if (kind === LOWER || kind === UPPER) {
      // One piece: upper-case letters then lower-case ones; the pre-tokenizer
      // starts a new piece where a lower-case letter meets an upper-case one.
      let j = i;
      let rarePairs = 0;
      let previous = -1;
      while (j < n && kindOf(text.charCodeAt(j)) === UPPER) {
        const letter = text.charCodeAt(j) + 32;
        if (previous >= 0 && !isCommonPair(previous, letter)) rarePairs++;
        previous = letter;
        j++;
      }
      const uppers = j - i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (kindOf(d) === LOWER) {
          if (previous >= 0 && !isCommonPair(previous, d)) rarePairs++;
          previous = d;
          j++;
        } else if (isAccentedLatin(d)) {
          previous = -1;
          j++;
          accented++;
          out[12]++;
        } else break;
      }
      const length = j - i;
      letters += length;
      if (noisy) {
        out[9]++;
        out[10] += length;
      } else {
        const w = WORD_FEATURES_START;
        out[w]++;
        if (length > 3) out[w + 1] += length - 3;
        if (length > 6) out[w + 2] += length - 6;
        if (length > 9) out[w + 3] += length - 9;
        if (uppers === 1) out[w + 4]++;
        else if (uppers > 1 && uppers === length) {
          out[w + 5]++;
          if (length > 3) out[w + 6] += length - 3;
        }
        if (prefix > 0) out[w + 6 + prefix]++;
        out[w + 10] += rarePairs;
      }
      inWord = true;
      i = j;
      prefix = 1;
      continue;
    }
    prefix = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const codePoint = text.codePointAt(i)!;
      out[codePoint >= 0x1f000 && codePoint < 0x1fb00 ? 24 : 25]++;
      inWord = false;
      i += 2;
      continue;
    }
    const letter = isAccentedLatin(c) || (c >= 0x370 && c < 0x530);
    if (letter && !inWord) out[26]++;
    inWord = letter;
    out[otherFeature(c)]++;
    if (isAccentedLatin(c)) {
      accented++;
      letters++;
    }
    i++;
  }
  return { accented, letters };
}

/** Whether two lower-case ASCII letters often follow each other in English. */
function isCommonPair(a: number, b: number): boolean {
  return COMMON_BIGRAMS[(a - 97) * 26 + b - 97] === 1;
}

function isAccentedLatin(c: number): boolean {
  return (c >= 0xc0 && c < 0x250 && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x1e00 && c < 0x1f00);
}

/** The feature of a character beyond ASCII that is not part of a surrogate pair. */
function otherFeature(c: number): number {
  if (c < 0xc0 || c === 0xd7 || c === 0xf7) return 22;
  if (isAccentedLatin(c)) return 12;
  if (c >= 0x370 && c < 0x400) return 13;
  if (c >= 0x400 && c < 0x530) return 14;
  if (c >= 0x4e00 && c < 0xa000) return 15;
  if (c >= 0x3040 && c < 0x3100) return 16;
  if (c >= 0xac00 && c < 0xd7a4) return 17;
  if ((c >= 0x3000 && c < 0x3040) || (c >= 0xff00 && c < 0xfff0)) return 18;
  if (c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) return 23;
  if (c >= 0x2000 && c < 0x2070) return 19;
  if (c >= 0x2070 && c < 0x2c00) return 20;
  return 21;
}
