/**
 * The latest bytes of a stream, at most `capacity` of them, oldest dropped first: a terminal's scrollback
 * for a viewer that attaches late. Chunks are kept as they came (no copy on push); a chunk that only partly
 * fits loses its head, cut at a UTF-8 character boundary so the replay does not start with a broken
 * character. (An escape sequence may still be cut; terminal emulators skip the remains.)
 */
export class ByteBacklog {
  readonly capacity: number;
  #chunks: Uint8Array[] = [];
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new RangeError(`capacity must be a non-negative integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Bytes held now. */
  get size(): number {
    return this.#size;
  }

  /** Appends a chunk; the caller must not modify it afterwards. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.capacity === 0) return;
    if (chunk.length >= this.capacity) {
      this.#chunks = [trimHead(chunk, chunk.length - this.capacity)];
      this.#size = this.#chunks[0]!.length;
      return;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size > this.capacity) {
      const head = this.#chunks[0]!;
      const excess = this.#size - this.capacity;
      if (head.length <= excess) {
        this.#chunks.shift();
        this.#size -= head.length;
      } else {
        const trimmed = trimHead(head, excess);
        this.#chunks[0] = trimmed;
        this.#size -= head.length - trimmed.length;
      }
    }
  }

  /** All bytes held, oldest first, in one fresh array. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#size);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  clear(): void {
    this.#chunks = [];
    this.#size = 0;
  }
}

/** Drops at least `count` bytes from the front, and then any UTF-8 continuation bytes (at most 3). */
function trimHead(chunk: Uint8Array, count: number): Uint8Array {
  let start = count;
  for (let i = 0; i < 3 && start < chunk.length && (chunk[start]! & 0xc0) === 0x80; i++) start++;
  return chunk.subarray(start);
}
