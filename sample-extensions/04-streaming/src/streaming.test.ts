// A 64 MiB file streamed through the plugin process: the hash and the gzip output are right, and the host
// never holds the file (backpressure holds the reader instead).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeRunner, type PluginClient } from '@tether/extension-host';
import { files } from './contract.js';
import { startStreaming } from './launch.js';
import { writeSampleFile } from './sample-file.js';
import { digestFile, gzipFile, measureRssGrowth } from './stream-file.js';

const MiB = 1024 * 1024;
const FILE_SIZE = 64 * MiB;
/** Generous: the point is that growth does not follow the file size (64 MiB), not a tight budget. */
const MAX_RSS_GROWTH = 48 * MiB;

let dir: string;
let input: string;
let expectedSha256: string;
let client: PluginClient;

async function hashFile(file: string, gunzip = false): Promise<string> {
  const hash = createHash('sha256');
  if (gunzip) await pipeline(createReadStream(file), createGunzip(), hash);
  else await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tether-streaming-test-'));
  input = path.join(dir, 'input.txt');
  await writeSampleFile(input, FILE_SIZE);
  expectedSha256 = await hashFile(input);
  client = await startStreaming({ runner: new NodeRunner({ output: null }) });
  // Warm up once with a small file, so one-time costs (JIT, buffer pools) do not count as growth.
  const small = path.join(dir, 'small.txt');
  await writeSampleFile(small, MiB);
  await digestFile(client.dispense(files), small);
  await gzipFile(client.dispense(files), small, `${small}.gz`);
}, 60_000);

afterAll(async () => {
  await client?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('04-streaming', () => {
  it('hashes a 64 MiB file in the plugin, with the host’s RSS growing far less than the file', async () => {
    expect((await stat(input)).size).toBe(FILE_SIZE);
    const { result, growth } = await measureRssGrowth(() => digestFile(client.dispense(files), input));
    expect(result).toEqual({ sha256: expectedSha256, bytes: FILE_SIZE });
    expect(growth).toBeLessThan(MAX_RSS_GROWTH);
  }, 60_000);

  it('gzips it through the plugin into a file, correctly and in bounded memory', async () => {
    const output = path.join(dir, 'input.txt.gz');
    const { result: size, growth } = await measureRssGrowth(() =>
      gzipFile(client.dispense(files), input, output),
    );
    expect(size).toBe((await stat(output)).size);
    expect(size).toBeLessThan(FILE_SIZE / 2); // the sample text compresses well
    expect(await hashFile(output, true)).toBe(expectedSha256);
    expect(growth).toBeLessThan(MAX_RSS_GROWTH);
  }, 60_000);

  it('a source that fails mid-stream fails the call, and the plugin keeps serving', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1024);
      await Promise.resolve();
      throw new Error('disk went away');
    }
    await expect(client.dispense(files).digest(failing())).rejects.toThrow('disk went away');
    async function* tiny(): AsyncGenerator<Uint8Array> {
      await Promise.resolve();
      yield new TextEncoder().encode('abc');
    }
    expect(await client.dispense(files).digest(tiny())).toEqual({
      sha256: createHash('sha256').update('abc').digest('hex'),
      bytes: 3,
    });
  });
});
