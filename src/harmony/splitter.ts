/**
 * Splits raw harmony text, which some server builds return inside `content`,
 * into reasoning, answer and tool calls, as it streams:
 *
 * ```text
 * <|channel|>analysis<|message|>…<|end|><|start|>assistant<|channel|>final<|message|>…
 * <|channel|>commentary to=functions.NAME <|constrain|>json<|message|>{…}<|call|>
 * ```
 *
 * and the same with the special tokens stripped (`analysis…assistantfinal…`).
 * A marker may arrive split across chunks: the splitter holds back any tail
 * that could be the start of one, so that no marker, and no piece of one, is
 * ever shown. Text that does not start like harmony passes through untouched.
 *
 * Formats: https://github.com/openai/harmony (the message format), and the
 * GPT-OSS cases of llama.cpp's tests/test-chat.cpp.
 *
 * @module
 */

/** One piece of split output. */
export type HarmonyPiece =
  | { kind: "reasoning"; text: string }
  | { kind: "content"; text: string }
  | { kind: "tool"; index: number; name?: string; arguments?: string };

const MARKERS = [
  "<|start|>",
  "<|end|>",
  "<|message|>",
  "<|channel|>",
  "<|constrain|>",
  "<|return|>",
  "<|call|>",
  "<|endoftext|>",
  "<|startoftext|>",
] as const;
const LONGEST_MARKER = 15;

// How a stream with the special tokens stripped runs one message into the next.
const STRIPPED_FINAL = "assistantfinal";
const STRIPPED_COMMENTARY = "assistantcommentary";
const STRIPPED_ANALYSIS = "assistantanalysis";
const STRIPPED_MARKERS = [
  STRIPPED_FINAL,
  STRIPPED_COMMENTARY,
  STRIPPED_ANALYSIS,
];
/** A capital letter (or a quote and one) right after "analysis": a sentence glued to the channel name. */
const GLUED_SENTENCE = /^["'“]?\p{Lu}/u;

type Mode =
  | "detect"
  | "plain"
  | "tokens"
  | "stripped"
  | "maybe-stripped"
  | "maybe-recipient";

/**
 * Splits one stream of harmony text. Feed it the `content` pieces in order;
 * call {@link HarmonySplitter.end} when the stream ends.
 */
export class HarmonySplitter {
  #mode: Mode = "detect";
  #pending = ""; // text held back: undecided, or possibly the start of a marker
  #inHeader = false;
  #header = "";
  #route: HarmonyPiece["kind"] = "content";
  #toolIndex = -1;

  /** Whether the text turned out to be harmony (known after the first characters). */
  get isHarmony(): boolean {
    return this.#mode === "tokens" || this.#mode === "stripped";
  }

  /** Whether text is still held back to decide whether it is harmony at all. */
  get undecided(): boolean {
    return (this.#mode === "detect" || this.#mode.startsWith("maybe")) &&
      this.#pending !== "";
  }

  /** Whether the text turned out not to be harmony: it now passes through as is. */
  get isPlain(): boolean {
    return this.#mode === "plain";
  }

  /**
   * @param text The next piece of `content`.
   * @returns What it completed, in order; held-back text comes later.
   */
  feed(text: string): HarmonyPiece[] {
    const out: HarmonyPiece[] = [];
    if (this.#mode === "plain") {
      if (text) out.push({ kind: "content", text });
      return out;
    }
    this.#pending += text;
    if (this.#mode === "detect") this.#detect(out);
    if (this.#mode === "maybe-stripped") this.#confirmStripped(text);
    else if (this.#mode === "maybe-recipient") this.#confirmRecipient();
    if (this.#mode === "tokens") this.#scanTokens(out, false);
    else if (this.#mode === "stripped") this.#scanStripped(out, false);
    return out;
  }

  /**
   * Ends the stream: what was held back is released (an unfinished marker at
   * the very end is dropped).
   */
  end(): HarmonyPiece[] {
    const out: HarmonyPiece[] = [];
    if (
      this.#mode !== "plain" && this.#mode !== "tokens" &&
      this.#mode !== "stripped"
    ) {
      // Too short to decide, or no sign of a final message: a plain answer.
      this.#mode = "plain";
      if (this.#pending) out.push({ kind: "content", text: this.#pending });
      this.#pending = "";
    } else if (this.#mode === "tokens") this.#scanTokens(out, true);
    else if (this.#mode === "stripped") this.#scanStripped(out, true);
    return out;
  }

  #detect(out: HarmonyPiece[]): void {
    const text = this.#pending;
    if (text.startsWith("<|channel|>") || text.startsWith("<|start|>")) {
      this.#mode = "tokens";
      return;
    }
    if (text.startsWith(" to=")) {
      // The recipient came right after the primed "<|start|>assistant";
      // an answer can begin so too, so it waits for a special token.
      this.#mode = "maybe-recipient";
      return;
    }
    if (text.length > "analysis".length && text.startsWith("analysis")) {
      // "analysisUser says…": the channel name glued to reasoning that starts
      // a sentence. An answer can begin with the word ("analysis: …",
      // "analysis of…"), so this is only a candidate until the final
      // message's marker proves it; until then nothing is shown.
      if (
        GLUED_SENTENCE.test(
          text.slice("analysis".length, "analysis".length + 2),
        )
      ) {
        this.#mode = "maybe-stripped";
        return;
      }
    }
    const undecided = ["<|channel|>", "<|start|>", " to=", "analysis"].some((
      start,
    ) => start.startsWith(text) || (start === "analysis" && text === start));
    if (undecided) return;
    this.#mode = "plain";
    out.push({ kind: "content", text });
    this.#pending = "";
  }

  /** Confirms a recipient header once a special token follows it. */
  #confirmRecipient(): void {
    if (!/<\|(channel|constrain|message)\|>/.test(this.#pending)) return;
    this.#mode = "tokens";
    this.#inHeader = true;
  }

  /** Confirms the stripped form once the marker of a following message arrives. */
  #confirmStripped(added: string): void {
    const text = this.#pending;
    // Only the new text (and a marker it may complete) needs searching.
    const from = Math.max(
      0,
      text.length - added.length - STRIPPED_COMMENTARY.length,
    );
    const seen = STRIPPED_MARKERS.some((m) => text.indexOf(m, from) !== -1);
    if (!seen) return;
    this.#mode = "stripped";
    this.#pending = text.slice("analysis".length);
    this.#route = "reasoning";
  }

  #scanTokens(out: HarmonyPiece[], final: boolean): void {
    const text = this.#pending;
    let at = 0;
    while (at < text.length) {
      const open = text.indexOf("<|", at);
      if (open === -1) {
        const keep = final ? text.length : heldBackStart(text, at);
        this.#emit(out, text.slice(at, keep));
        at = keep;
        break;
      }
      this.#emit(out, text.slice(at, open));
      const close = text.indexOf("|>", open + 2);
      if (close === -1 || close + 2 - open > LONGEST_MARKER) {
        const tail = text.slice(open);
        if (close === -1 && MARKERS.some((m) => m.startsWith(tail))) {
          // The start of a marker: wait for the rest, or drop it at the very end.
          at = final ? text.length : open;
          break;
        }
        this.#emit(out, "<|"); // not a marker: literal text
        at = open + 2;
        continue;
      }
      const marker = text.slice(open, close + 2);
      if ((MARKERS as readonly string[]).includes(marker)) {
        this.#onMarker(marker, out);
      } else this.#emit(out, marker);
      at = close + 2;
    }
    this.#pending = final ? "" : text.slice(at);
  }

  #onMarker(marker: string, out: HarmonyPiece[]): void {
    switch (marker) {
      case "<|start|>":
      case "<|channel|>":
        if (!this.#inHeader) {
          this.#inHeader = true;
          this.#header = "";
        }
        this.#header += marker === "<|channel|>" ? " <channel> " : "";
        return;
      case "<|constrain|>":
        this.#header += " <constrain> ";
        return;
      case "<|message|>":
        this.#openMessage(this.#header, out);
        this.#inHeader = false;
        this.#header = "";
        return;
      default: // <|end|>, <|call|>, <|return|>, end of text
        this.#route = "content";
        return;
    }
  }

  /** Chooses where a message's body goes, from its header ("assistant <channel> commentary to=functions.x <constrain> json"). */
  #openMessage(header: string, out: HarmonyPiece[]): void {
    const recipient = /to=([^\s<]+)/.exec(header)?.[1];
    const channel = /<channel>\s*([A-Za-z_]+)/.exec(header)?.[1] ?? "final";
    if (recipient && recipient !== "assistant" && recipient !== "user") {
      this.#toolIndex++;
      const name = recipient.startsWith("functions.")
        ? recipient.slice("functions.".length)
        : recipient;
      out.push({ kind: "tool", index: this.#toolIndex, name });
      this.#route = "tool";
      return;
    }
    this.#route = channel === "analysis" ? "reasoning" : "content";
  }

  #emit(out: HarmonyPiece[], text: string): void {
    if (!text) return;
    if (this.#inHeader) {
      this.#header += text;
      return;
    }
    const last = out.at(-1);
    if (this.#route === "tool") {
      if (last?.kind === "tool" && last.index === this.#toolIndex) {
        last.arguments = (last.arguments ?? "") + text;
      } else {out.push({
          kind: "tool",
          index: this.#toolIndex,
          arguments: text,
        });}
      return;
    }
    if (last && last.kind === this.#route) last.text += text;
    else out.push({ kind: this.#route, text });
  }

  #scanStripped(out: HarmonyPiece[], final: boolean): void {
    let text = this.#pending;
    while (text) {
      let found = -1;
      let marker = "";
      for (const m of STRIPPED_MARKERS) {
        const i = text.indexOf(m);
        if (i !== -1 && (found === -1 || i < found)) {
          found = i;
          marker = m;
        }
      }
      if (found === -1) {
        const keep = final ? text.length : strippedHeldBackStart(text);
        this.#emit(out, text.slice(0, keep));
        text = text.slice(keep);
        break;
      }
      this.#emit(out, text.slice(0, found));
      text = text.slice(found + marker.length);
      if (marker === STRIPPED_FINAL) this.#route = "content";
      else if (marker === STRIPPED_ANALYSIS) this.#route = "reasoning";
      else {
        // "assistantcommentary to=functions.NAME json{…}" or a plain preamble.
        const call = /^ to=(?:functions\.)?([^\s{]+)\s*(?:json)?/.exec(text);
        if (call) {
          this.#toolIndex++;
          out.push({ kind: "tool", index: this.#toolIndex, name: call[1] });
          this.#route = "tool";
          text = text.slice(call[0].length);
        } else this.#route = "content";
      }
    }
    this.#pending = final ? "" : text;
  }
}

/** Where a tail that could be the start of a marker begins (or `text.length`). */
function heldBackStart(text: string, from: number): number {
  const lt = text.lastIndexOf("<");
  if (lt < from) return text.length;
  const tail = text.slice(lt);
  return MARKERS.some((m) => m.startsWith(tail)) ? lt : text.length;
}

/** The same for the stripped form: a tail that could start "assistantfinal". */
function strippedHeldBackStart(text: string): number {
  const from = Math.max(0, text.length - STRIPPED_COMMENTARY.length);
  for (let i = from; i < text.length; i++) {
    const tail = text.slice(i);
    if (STRIPPED_MARKERS.some((m) => m.startsWith(tail))) return i;
  }
  return text.length;
}

/**
 * Splits a whole harmony text at once.
 *
 * @param text A complete `content` value.
 * @returns The pieces, or `undefined` when the text is not harmony.
 */
export function splitHarmony(text: string): HarmonyPiece[] | undefined {
  const splitter = new HarmonySplitter();
  const pieces = [...splitter.feed(text), ...splitter.end()];
  return splitter.isHarmony ? pieces : undefined;
}
