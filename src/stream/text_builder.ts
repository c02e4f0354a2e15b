/**
 * Builds a long text from many small pieces without keeping an object per
 * piece, and in linear time: `a += b` leaves a chain of rope nodes (tens of
 * bytes each) until the text is read, so a million four-character deltas
 * would cost about 32 MB for 4 MB of text; joining everything every few
 * hundred pieces would copy the text over and over. So pieces are joined in
 * blocks of a few hundred, and the blocks once, when the text is read.
 *
 * @module
 */

const BLOCK = 512;

/** Appends text pieces cheaply; `text` reads the whole. */
export class TextBuilder {
  #blocks: string[] = [];
  #pieces: string[] = [];

  /** Adds a piece. */
  add(piece: string): void {
    if (piece === "") return;
    this.#pieces.push(piece);
    if (this.#pieces.length === BLOCK) {
      this.#blocks.push(this.#pieces.join(""));
      this.#pieces = [];
    }
  }

  /** Whether nothing has been added. */
  get empty(): boolean {
    return this.#blocks.length === 0 && this.#pieces.length === 0;
  }

  /** The whole text so far. */
  get text(): string {
    if (this.#pieces.length > 0) {
      this.#blocks.push(this.#pieces.join(""));
      this.#pieces = [];
    }
    if (this.#blocks.length > 1) this.#blocks = [this.#blocks.join("")];
    return this.#blocks[0] ?? "";
  }
}
