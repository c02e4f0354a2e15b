/**
 * Builds a long text from many small pieces without keeping an object per
 * piece: `a += b` leaves a chain of rope nodes (tens of bytes each) until the
 * text is read, so a million four-character deltas would cost about 32 MB
 * for 8 MB of text. Pieces are kept in a short list, joined into one flat
 * string every few hundred.
 *
 * @module
 */

const FLATTEN_EVERY = 512;

/** Appends text pieces cheaply; `text` reads the whole. */
export class TextBuilder {
  #pieces: string[] = [];
  #empty = true;

  /** Adds a piece. */
  add(piece: string): void {
    if (piece === "") return;
    this.#empty = false;
    this.#pieces.push(piece);
    if (this.#pieces.length >= FLATTEN_EVERY) {
      this.#pieces = [this.#pieces.join("")];
    }
  }

  /** Whether nothing has been added. */
  get empty(): boolean {
    return this.#empty;
  }

  /** The whole text so far. */
  get text(): string {
    if (this.#pieces.length > 1) this.#pieces = [this.#pieces.join("")];
    return this.#pieces[0] ?? "";
  }
}
