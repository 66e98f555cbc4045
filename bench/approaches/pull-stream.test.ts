// The pull loop the RPC peers' streams are built on: every chunk is pulled exactly once, with several
// `next()` calls in flight, and the end is seen by every puller.
import { describe, expect, it } from 'vitest';
import { ChunkSource, PULL_AHEAD, pullAll } from './pull-stream.js';

describe('pullAll over a ChunkSource', () => {
  it('counts every byte once, with up to PULL_AHEAD calls in flight', async () => {
    const chunk = new Uint8Array(1000);
    const source = new ChunkSource(chunk, 1000 * 37);
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    const bytes = await pullAll(async () => {
      calls++;
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return source.next();
    });
    expect(bytes).toBe(37_000);
    expect(most).toBe(PULL_AHEAD);
    // 37 chunks, then at least one end marker, at most one per puller.
    expect(calls).toBeGreaterThanOrEqual(37 + 1);
    expect(calls).toBeLessThanOrEqual(37 + PULL_AHEAD);
  });

  it('ends at once on an empty stream', async () => {
    expect(await pullAll(() => Promise.resolve(new ChunkSource(new Uint8Array(8), 0).next()))).toBe(0);
  });
});
