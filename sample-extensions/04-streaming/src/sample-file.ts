// A large, compressible, non-repeating text file to stream, written without holding it in memory.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

/** Writes `bytes` bytes of numbered text lines to `file`. */
export async function writeSampleFile(file: string, bytes: number): Promise<void> {
  function* lines(): Generator<Buffer> {
    let written = 0;
    let line = 0;
    while (written < bytes) {
      let chunk = '';
      while (chunk.length < 64 * 1024) {
        chunk += `line ${line} of the sample: ${(line * 2654435761) % 4294967296} streams through the plugin\n`;
        line += 1;
      }
      const buffer = Buffer.from(chunk).subarray(0, Math.min(chunk.length, bytes - written));
      written += buffer.length;
      yield buffer;
    }
  }
  await pipeline(lines(), createWriteStream(file));
}
