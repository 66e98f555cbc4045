// Micro-benchmark of the value codec against JSON and v8.serialize, in one process, same run.
// Run: node --import tsx bench/codec-micro.ts   (add --quick for a short run)
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { ValueCodec } from '../sdk/src/codec/index.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const TARGET_MS_PER_ROUND = quick ? 60 : 250;

interface Case {
  readonly name: string;
  readonly value: unknown;
  /** JSON cannot carry bytes: bulk payloads go as base64, the usual workaround. */
  readonly jsonValue?: unknown;
  readonly jsonRevive?: (parsed: unknown) => unknown;
}

const oneMiB = new Uint8Array(1024 * 1024).map((_, i) => (i * 31) & 0xff);
// A literal, as application code builds it (an object filled by computed keys would be in V8's slow
// dictionary mode, which is not what the call path usually sees).
const twentyFields = {
  id: 12345,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  active: true,
  score: 98.5,
  createdAt: 1700000000000,
  role: 'admin',
  tags: ['math', 'engines'],
  parentId: null,
  visits: 4242,
  ratio: 0.125,
  locale: 'en-GB',
  verified: false,
  plan: 'pro',
  seats: 12,
  balance: -310.75,
  country: 'GB',
  theme: 'dark',
  lastLogin: 1700000123456,
  notes: 'prefers the analytical engine',
};

const cases: Case[] = [
  {
    name: "small call [1, 42, 'greeter', 'greet', ['world']]",
    value: [1, 42, 'greeter', 'greet', ['world']],
  },
  { name: '20-field object', value: twentyFields },
  {
    name: '1 MiB Uint8Array',
    value: oneMiB,
    jsonValue: Buffer.from(oneMiB.buffer).toString('base64'),
    jsonRevive: (parsed) => new Uint8Array(Buffer.from(parsed as string, 'base64')),
  },
];

/** Median ns per call of `fn`, calibrated to run ~TARGET_MS_PER_ROUND per round. */
function measure(fn: () => unknown): number {
  let iterations = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    const elapsed = performance.now() - start;
    if (elapsed > 20) {
      iterations = Math.max(1, Math.round((iterations * TARGET_MS_PER_ROUND) / elapsed));
      break;
    }
    iterations *= 4;
  }
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(((performance.now() - start) * 1e6) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function format(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}

const codec = new ValueCodec();
const rows: Record<string, string>[] = [];
let sink = 0;

for (const c of cases) {
  const encoded = codec.encode(c.value);
  const json = JSON.stringify(c.jsonValue ?? c.value);
  const serialized = v8.serialize(c.value);
  const reviveJson = c.jsonRevive ?? ((parsed: unknown) => parsed);

  const results = {
    codecEncode: measure(() => (sink += codec.encode(c.value).length)),
    codecDecode: measure(() => codec.decode(encoded)),
    codecBoth: measure(() => codec.decode(codec.encode(c.value))),
    jsonBoth: measure(() => reviveJson(JSON.parse(JSON.stringify(c.jsonValue ?? c.value)))),
    v8Both: measure(() => v8.deserialize(v8.serialize(c.value))),
  };
  rows.push({
    value: c.name,
    'codec encode': format(results.codecEncode),
    'codec decode': format(results.codecDecode),
    'codec enc+dec': format(results.codecBoth),
    'JSON enc+dec': format(results.jsonBoth),
    'v8 enc+dec': format(results.v8Both),
    'bytes codec / JSON / v8': `${encoded.length} / ${Buffer.byteLength(json)} / ${serialized.length}`,
  });
}

// What the copy-out costs: decoded bin never aliases the input (a 1 MiB memcpy).
const copyNs = measure(() => (sink += oneMiB.slice().length));

console.log(`value codec micro-benchmark — Node ${process.version}, median of ${ROUNDS} rounds`);
console.table(rows);
console.log(`1 MiB Uint8Array.slice() (the copy decode makes): ${format(copyNs)}`);
if (sink === -1) console.log(sink);
