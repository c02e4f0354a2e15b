/**
 * The keys of a terminal in raw mode, read from its bytes, and what each does
 * to the line being edited: arrows, Home and End, history, Backspace and
 * Delete, Ctrl-A, Ctrl-E, Ctrl-W, Ctrl-U, Ctrl-K, a paste (bracketed, its
 * line ends kept), Enter, Ctrl-C and Ctrl-D. An escape sequence it does not
 * know is dropped, never put in the line.
 *
 * @module
 */

/** What a key does, when it is not text. */
export type KeyKind =
  | "left"
  | "right"
  | "up"
  | "down"
  | "home"
  | "end"
  | "backspace"
  | "delete"
  | "word-back"
  | "kill-start"
  | "kill-end"
  | "enter"
  | "interrupt"
  | "eof"
  | "ignored";

/** One key, or a piece of pasted or typed text. */
export type Key = { kind: "text"; text: string } | { kind: KeyKind };

const CSI_KEYS: Record<string, KeyKind> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
  "1~": "home",
  "7~": "home",
  "4~": "end",
  "8~": "end",
  "3~": "delete",
};

const CONTROL_KEYS: Record<number, KeyKind> = {
  0x01: "home", // Ctrl-A
  0x02: "left", // Ctrl-B
  0x03: "interrupt", // Ctrl-C
  0x04: "eof", // Ctrl-D (on an empty line; else Delete)
  0x05: "end", // Ctrl-E
  0x06: "right", // Ctrl-F
  0x08: "backspace", // Ctrl-H
  0x0b: "kill-end", // Ctrl-K
  0x0d: "enter",
  0x0a: "enter",
  0x0e: "down", // Ctrl-N
  0x10: "up", // Ctrl-P
  0x15: "kill-start", // Ctrl-U
  0x17: "word-back", // Ctrl-W
  0x7f: "backspace",
};

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

/** Reads keys from the text a raw terminal sends, split anywhere. */
export class KeyReader {
  #pending = "";
  #pasting = false;

  /**
   * @param text The next decoded piece.
   * @returns The keys it completed; an unfinished sequence waits for more.
   */
  feed(text: string): Key[] {
    this.#pending += text;
    const keys: Key[] = [];
    let s = this.#pending;
    let i = 0;
    const text_ = (t: string) => {
      const last = keys.at(-1);
      if (last?.kind === "text") last.text += t;
      else keys.push({ kind: "text", text: t });
    };
    while (i < s.length) {
      if (this.#pasting) {
        const end = s.indexOf(PASTE_END, i);
        if (end === -1) {
          // Keep what could be the start of the end marker.
          const keep = partialSuffix(s.slice(i), PASTE_END);
          text_(s.slice(i, s.length - keep).replace(/\r\n?/g, "\n"));
          i = s.length - keep;
          break;
        }
        text_(s.slice(i, end).replace(/\r\n?/g, "\n"));
        i = end + PASTE_END.length;
        this.#pasting = false;
        continue;
      }
      const code = s.charCodeAt(i);
      if (code === 0x1b) {
        const sequence = escapeSequence(s, i);
        if (sequence === undefined) break; // wait for the rest
        i += sequence.length;
        if (sequence === PASTE_START) {
          this.#pasting = true;
          continue;
        }
        keys.push({ kind: keyOfEscape(sequence) });
        continue;
      }
      if (code < 0x20 || code === 0x7f) {
        const kind = CONTROL_KEYS[code] ?? "ignored";
        // CR LF from one Enter is one key.
        if (code === 0x0a && s.charCodeAt(i - 1) === 0x0d) {
          i++;
          continue;
        }
        if (kind === "ignored" && code === 0x09) text_("  "); // Tab
        else keys.push({ kind });
        i++;
        continue;
      }
      let end = i + 1;
      while (end < s.length) {
        const c = s.charCodeAt(end);
        if (c < 0x20 || c === 0x7f || c === 0x1b) break;
        end++;
      }
      text_(s.slice(i, end));
      i = end;
    }
    s = s.slice(i);
    this.#pending = s;
    return keys;
  }
}

/** How much of the end of `text` could begin `marker`. */
function partialSuffix(text: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, text.length); n > 0; n--) {
    if (marker.startsWith(text.slice(-n))) return n;
  }
  return 0;
}

/** The escape sequence at `at`, or `undefined` while it is unfinished. */
function escapeSequence(s: string, at: number): string | undefined {
  if (at + 1 >= s.length) return undefined;
  const next = s[at + 1];
  if (next === "[") {
    let end = at + 2;
    while (end < s.length) {
      const c = s.charCodeAt(end);
      if (c >= 0x40 && c <= 0x7e) return s.slice(at, end + 1);
      end++;
    }
    return undefined;
  }
  if (next === "O") return at + 2 < s.length ? s.slice(at, at + 3) : undefined;
  return s.slice(at, at + 2); // Alt+key, or a lone Escape: dropped
}

function keyOfEscape(sequence: string): KeyKind {
  if (sequence.startsWith("\x1bO")) {
    return CSI_KEYS[sequence.slice(2)] ?? "ignored";
  }
  if (sequence === "\x1b\x7f") return "word-back"; // Alt-Backspace
  if (!sequence.startsWith("\x1b[")) return "ignored";
  const body = sequence.slice(2);
  // Modifiers ("1;5C") move the same way.
  const plain = body.replace(/^1;\d+/, "");
  return CSI_KEYS[plain] ?? CSI_KEYS[body] ?? "ignored";
}

/** The line being edited. */
export interface LineState {
  /** The line's characters (code points). */
  chars: string[];
  cursor: number;
  /** Where in the history Up and Down are, `history.length` for the line being typed. */
  historyAt: number;
  /** The line being typed, kept while the history is browsed. */
  draft: string[];
}

/** What a key asks the editor to do besides changing the line. */
export type KeyOutcome = "edit" | "submit" | "interrupt" | "eof";

/**
 * Applies a key to the line.
 *
 * @param state The line, changed in place.
 * @param key The key.
 * @param history The earlier lines, oldest first.
 * @returns What to do next.
 */
export function applyKey(
  state: LineState,
  key: Key,
  history: readonly string[],
): KeyOutcome {
  const { chars } = state;
  const isWordChar = (c: string | undefined) =>
    c !== undefined && /[\p{L}\p{N}_]/u.test(c);
  switch (key.kind) {
    case "text": {
      const added = Array.from(key.text);
      chars.splice(state.cursor, 0, ...added);
      state.cursor += added.length;
      return "edit";
    }
    case "left":
      state.cursor = Math.max(0, state.cursor - 1);
      return "edit";
    case "right":
      state.cursor = Math.min(chars.length, state.cursor + 1);
      return "edit";
    case "home":
      state.cursor = 0;
      return "edit";
    case "end":
      state.cursor = chars.length;
      return "edit";
    case "backspace":
      if (state.cursor > 0) {
        chars.splice(state.cursor - 1, 1);
        state.cursor--;
      }
      return "edit";
    case "delete":
      chars.splice(state.cursor, 1);
      return "edit";
    case "eof":
      if (chars.length === 0) return "eof";
      chars.splice(state.cursor, 1);
      return "edit";
    case "word-back": {
      let start = state.cursor;
      while (start > 0 && !isWordChar(chars[start - 1])) start--;
      while (start > 0 && isWordChar(chars[start - 1])) start--;
      chars.splice(start, state.cursor - start);
      state.cursor = start;
      return "edit";
    }
    case "kill-start":
      chars.splice(0, state.cursor);
      state.cursor = 0;
      return "edit";
    case "kill-end":
      chars.splice(state.cursor);
      return "edit";
    case "up":
    case "down": {
      const to = key.kind === "up"
        ? Math.max(0, state.historyAt - 1)
        : Math.min(history.length, state.historyAt + 1);
      if (to === state.historyAt) return "edit";
      if (state.historyAt === history.length) state.draft = [...chars];
      state.historyAt = to;
      const line = to === history.length
        ? state.draft
        : Array.from(history[to]);
      chars.splice(0, chars.length, ...line);
      state.cursor = chars.length;
      return "edit";
    }
    case "enter":
      return "submit";
    case "interrupt":
      return "interrupt";
    case "ignored":
      return "edit";
  }
}

/** A new line to edit. */
export function emptyLine(history: readonly string[]): LineState {
  return { chars: [], cursor: 0, historyAt: history.length, draft: [] };
}

/** Columns a character takes on a terminal: two for wide East Asian ones and emoji. */
export function columns(chars: readonly string[]): number {
  let n = 0;
  for (const c of chars) {
    const code = c.codePointAt(0)!;
    n += (code >= 0x1100 && code <= 0x115f) ||
        (code >= 0x2e80 && code <= 0xa4cf) ||
        (code >= 0xac00 && code <= 0xd7a3) ||
        (code >= 0xf900 && code <= 0xfaff) ||
        (code >= 0xfe30 && code <= 0xfe4f) ||
        (code >= 0xff00 && code <= 0xff60) ||
        (code >= 0xffe0 && code <= 0xffe6) ||
        (code >= 0x1f300 && code <= 0x1faff) ||
        (code >= 0x20000 && code <= 0x3fffd)
      ? 2
      : 1;
  }
  return n;
}
