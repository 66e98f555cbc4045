/** A ring buffer of the last `capacity` lines written to it (a plugin's stderr, for crash reports). */
export class StderrTail {
  readonly #lines: string[];
  readonly #capacity: number;
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`capacity must be a non-negative integer, got ${capacity}`);
    }
    this.#capacity = capacity;
    this.#lines = new Array<string>(capacity);
  }

  push(line: string): void {
    if (this.#capacity === 0) return;
    this.#lines[this.#next] = line;
    this.#next = (this.#next + 1) % this.#capacity;
    if (this.#size < this.#capacity) this.#size++;
  }

  /** The kept lines, oldest first (a fresh array). */
  lines(): string[] {
    const start = (this.#next - this.#size + this.#capacity) % this.#capacity;
    const result: string[] = [];
    for (let i = 0; i < this.#size; i++) result.push(this.#lines[(start + i) % this.#capacity]!);
    return result;
  }
}
