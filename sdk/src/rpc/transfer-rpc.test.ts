// transfer() through the RPC layer: call arguments, results and stream items handed over are written to
// the transport as the caller's own bytes (no copy), and arrive intact.
import { afterEach, describe, expect, it } from 'vitest';
import { transfer } from '../codec/transfer.js';
import { MuxSession } from '../mux/mux-session.js';
import { firstDifference } from '../test-support/same-bytes.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { RpcPeer } from './rpc-peer.js';
import { defineService } from './service.js';

interface Store {
  put(data: Uint8Array): number;
  get(size: number): Uint8Array;
}
const store = defineService<Store>()('store', { methods: { put: {}, get: {} } });

let peers: RpcPeer[] = [];
afterEach(() => {
  for (const peer of peers) peer.dispose();
  peers = [];
});

function connect(): { host: RpcPeer; plugin: RpcPeer; hostWrites: Uint8Array[]; pluginWrites: Uint8Array[] } {
  const [a, b] = createMemoryTransportPair();
  const hostWrites: Uint8Array[] = [];
  const pluginWrites: Uint8Array[] = [];
  for (const [transport, log] of [
    [a, hostWrites],
    [b, pluginWrites],
  ] as const) {
    const write = transport.write.bind(transport);
    transport.write = (chunks) => {
      log.push(...chunks);
      return write(chunks);
    };
  }
  const host = new RpcPeer(new MuxSession(a, { role: 'initiator' }));
  const plugin = new RpcPeer(new MuxSession(b, { role: 'acceptor' }));
  peers.push(host, plugin);
  return { host, plugin, hostWrites, pluginWrites };
}

describe('transfer() over RPC', () => {
  it('a transferred argument and result are written uncopied and arrive intact', async () => {
    const { host, plugin, hostWrites, pluginWrites } = connect();
    const reply = transfer(new Uint8Array(300_000).map((_, i) => (i * 3) & 0xff));
    let received: Uint8Array | undefined;
    plugin.expose(store, {
      put: (data) => {
        received = data.slice();
        return data.byteLength;
      },
      get: () => reply,
    });
    const data = transfer(new Uint8Array(1024 * 1024).map((_, i) => (i * 7) & 0xff));
    const remote = host.remote(store);
    expect(await remote.put(data)).toBe(data.byteLength);
    expect(firstDifference(received!, data)).toBe('equal');
    expect(hostWrites.some((chunk) => chunk.buffer === data.buffer)).toBe(true);

    const got = await remote.get(reply.byteLength);
    expect(firstDifference(got, reply)).toBe('equal');
    expect(pluginWrites.some((chunk) => chunk.buffer === reply.buffer)).toBe(true);
  });

  it('without transfer the argument is copied when the call is made (later changes do not travel)', async () => {
    const { host, plugin, hostWrites } = connect();
    let received: Uint8Array | undefined;
    plugin.expose(store, { put: (d) => ((received = d.slice()), d.byteLength), get: () => new Uint8Array() });
    const data = new Uint8Array(200_000).fill(1);
    const pending = host.remote(store).put(data);
    data.fill(2); // after the call was made: a copy was taken already
    await pending;
    expect(received!.every((byte) => byte === 1)).toBe(true);
    expect(hostWrites.some((chunk) => chunk.buffer === data.buffer)).toBe(false);
  });
});
