// The host: streams a file through the plugin twice — for its SHA-256, and to gzip it — and reports how
// little memory that took. Without an argument it makes a 64 MiB sample file first.
//   npm start -w @tether-samples/streaming [-- file]
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { files } from './contract.js';
import { startStreaming } from './launch.js';
import { writeSampleFile } from './sample-file.js';
import { digestFile, gzipFile, measureRssGrowth } from './stream-file.js';

const MiB = 1024 * 1024;
const dir = await mkdtemp(path.join(os.tmpdir(), 'tether-streaming-'));
const input = process.argv[2] ?? path.join(dir, 'sample.txt');
const output = path.join(dir, `${path.basename(input)}.gz`);
if (process.argv[2] === undefined) await writeSampleFile(input, 64 * MiB);

const client = await startStreaming();
try {
  const remote = client.dispense(files);
  const started = performance.now();
  const { result: digest, growth } = await measureRssGrowth(() => digestFile(remote, input));
  const seconds = (performance.now() - started) / 1000;
  console.log(`${input}`);
  console.log(`  sha256 (plugin)  ${digest.sha256}`);
  const local = createHash('sha256');
  await pipeline(createReadStream(input), local);
  console.log(`  sha256 (host)    ${local.digest('hex')}`);
  console.log(
    `  ${(digest.bytes / MiB).toFixed(1)} MiB in ${seconds.toFixed(2)} s, host RSS grew ${(growth / MiB).toFixed(1)} MiB`,
  );
  const gz = await measureRssGrowth(() => gzipFile(remote, input, output));
  console.log(
    `gzip → ${output}: ${(gz.result / MiB).toFixed(1)} MiB, host RSS grew ${(gz.growth / MiB).toFixed(1)} MiB`,
  );
} finally {
  await client.stop();
  await rm(dir, { recursive: true, force: true });
}
