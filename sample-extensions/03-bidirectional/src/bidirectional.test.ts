// The counter plugin as a real process calling back into this host: through a host service, through an
// object passed by reference, and with an event.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { proxy } from '@tether/sdk';
import { NodeRunner, type PluginClient } from '@tether/extension-host';
import { counter, type CountChange, type CounterStorage } from './contract.js';
import { TYPESCRIPT_NODE_ARGS, extensionDir, startCounter } from './launch.js';

const clients: PluginClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
});

async function start(counts: Map<string, number>): Promise<PluginClient> {
  const storage: CounterStorage = {
    load: (key) => counts.get(key) ?? 0,
    save: (key, value) => void counts.set(key, value),
  };
  const client = await startCounter({ storage, runner: new NodeRunner({ output: null }) });
  clients.push(client);
  return client;
}

describe('03-bidirectional', () => {
  it('keeps the counts in the host’s storage service and does the sums with the host’s adder', async () => {
    const counts = new Map<string, number>([['apples', 10]]);
    const client = await start(counts);
    const remote = client.dispense(counter);
    const sums: [number, number][] = [];
    const adder = proxy({
      add(a: number, b: number) {
        sums.push([a, b]);
        return a + b;
      },
    });
    expect(await remote.increment('apples', 1, adder)).toBe(11);
    expect(await remote.increment('apples', 2, adder)).toBe(13);
    expect(await remote.increment('pears', 5, adder)).toBe(5);
    expect(sums).toEqual([
      [10, 1],
      [11, 2],
      [0, 5],
    ]);
    expect(Object.fromEntries(counts)).toEqual({ apples: 13, pears: 5 });
    expect(await remote.get('apples')).toBe(13);
  });

  it('really delegates: a host adder with other arithmetic changes the result', async () => {
    const counts = new Map<string, number>();
    const client = await start(counts);
    const remote = client.dispense(counter);
    const times = proxy({ add: (a: number, b: number) => (a + 1) * b });
    expect(await remote.increment('x', 3, times)).toBe(3);
    expect(await remote.increment('x', 3, times)).toBe(12);
    expect(counts.get('x')).toBe(12);
  });

  it('fires onDidChange in the host, and the plugin releases the adder after each call', async () => {
    const client = await start(new Map());
    const remote = client.dispense(counter);
    const changes: CountChange[] = [];
    const subscription = remote.onDidChange((change) => changes.push(change));
    await remote.increment('a', 1, proxy({ add: (x: number, y: number) => x + y }));
    await remote.increment('a', 4, proxy({ add: (x: number, y: number) => x + y }));
    await vi.waitFor(() => expect(changes).toHaveLength(2));
    expect(changes).toEqual([
      { key: 'a', value: 1 },
      { key: 'a', value: 5 },
    ]);
    subscription.dispose();
    await vi.waitFor(() => expect(client.peer.stats().exportedReferences).toBe(0));
  });

  it('an error thrown by the host’s callback reaches the host’s caller with its message', async () => {
    const client = await start(new Map());
    const failing = proxy({
      add(): number {
        throw new RangeError('overflow in the host');
      },
    });
    await expect(client.dispense(counter).increment('k', 1, failing)).rejects.toThrow('overflow in the host');
  });

  it('the host traces calls in both directions', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [...TYPESCRIPT_NODE_ARGS, 'src/host.ts'], {
      cwd: extensionDir,
    });
    expect(stdout).toContain('plugin → host  adder.add(1, 2) = 3');
    expect(stdout).toContain('event          onDidChange apples = 3');
    expect(stdout).toContain('counts kept by the host: {"apples":3,"pears":5}');
  });
});
