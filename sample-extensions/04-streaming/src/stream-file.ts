// What the host does with the plugin: stream a file into it, and stream its result into another file.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Remote } from '@tether/sdk';
import type { Digest, Files } from './contract.js';

/** SHA-256 and length of `file`, computed in the plugin. The file is read only as fast as the plugin hashes. */
export function digestFile(remote: Remote<Files>, file: string): Promise<Digest> {
  return remote.digest(createReadStream(file));
}

/**
 * Gzips `input` into `output` through the plugin: the file streams out to the plugin while the compressed
 * stream comes back and is written by `pipeline`. A slow disk holds the plugin, which holds the reader.
 * Resolves with the size of `output`.
 */
export async function gzipFile(remote: Remote<Files>, input: string, output: string): Promise<number> {
  const compressed = await remote.gzip(createReadStream(input));
  await pipeline(compressed, createWriteStream(output));
  return (await stat(output)).size;
}

/** Samples `process.memoryUsage().rss` while `work` runs; resolves with its result and the peak growth. */
export async function measureRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 10);
  try {
    const result = await work();
    sample();
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}
