// The RPC inspector's hook (`RpcPeerOptions.tracer`): both sides of a call report it — the caller as
// 'outgoing', the callee as 'incoming' — with the bytes each way, the duration and the failure.
import { afterEach, describe, expect, it } from 'vitest';
import { TetherError } from '../errors/tether-error.js';
import { rejectionOf } from '../test-support/rejection-of.js';
import { waitFor } from '../test-support/wait-for.js';
import { MuxSession } from '../mux/mux-session.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import type { RpcTrace } from './rpc-options.js';
import { RpcPeer } from './rpc-peer.js';
import { defineService } from './service.js';

interface Echo {
  echo(text: string): string;
  fail(code: string): Promise<never>;
  note(text: string): void;
}

const echo = defineService<Echo>()('test.echo', {
  methods: { echo: {}, fail: {}, note: { notification: true } },
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Two connected peers whose tracers record into two arrays while `on.value` is true. */
function tracedPair() {
  const on = { value: true };
  const host: RpcTrace[] = [];
  const plugin: RpcTrace[] = [];
  const tracer = (into: RpcTrace[]) => () => (on.value ? (trace: RpcTrace) => into.push(trace) : undefined);
  const [hostTransport, pluginTransport] = createMemoryTransportPair();
  const hostPeer = new RpcPeer(new MuxSession(hostTransport, { role: 'initiator' }), {
    tracer: tracer(host),
  });
  const pluginPeer = new RpcPeer(new MuxSession(pluginTransport, { role: 'acceptor' }), {
    tracer: tracer(plugin),
  });
  cleanups.push(() => {
    hostPeer.dispose();
    pluginPeer.dispose();
  });
  pluginPeer.expose(echo, {
    echo: (text) => text.repeat(10),
    fail: (code) => Promise.reject(new TetherError('INVALID_ARGUMENT', `failing with ${code}`)),
    note: () => undefined,
  });
  return { on, host, plugin, remote: hostPeer.remote(echo) };
}

describe('RPC tracing', () => {
  it('reports each call on both sides with direction, bytes each way and duration', async () => {
    const traced = tracedPair();
    expect(await traced.remote.echo('ab')).toBe('ab'.repeat(10));
    await waitFor(() => traced.host.length === 1 && traced.plugin.length === 1, {
      what: 'a trace on each side',
    });
    const [outgoing] = traced.host;
    const [incoming] = traced.plugin;
    expect(outgoing).toMatchObject({ direction: 'outgoing', service: 'test.echo', method: 'echo' });
    expect(incoming).toMatchObject({ direction: 'incoming', service: 'test.echo', method: 'echo' });
    // What one side sent is what the other received, and the answer (20 characters) is the larger part.
    expect(outgoing!.bytesOut).toBe(incoming!.bytesIn);
    expect(outgoing!.bytesIn).toBe(incoming!.bytesOut);
    expect(outgoing!.bytesIn).toBeGreaterThan(20);
    expect(outgoing!.bytes).toBe(outgoing!.bytesOut + outgoing!.bytesIn);
    expect(outgoing!.durationMs).toBeGreaterThanOrEqual(incoming!.durationMs);
    expect(outgoing!.error ?? incoming!.error).toBeUndefined();
  });

  it('marks a failed call with its code on both sides', async () => {
    const traced = tracedPair();
    const error = await rejectionOf(traced.remote.fail('x'));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    await waitFor(() => traced.host.length === 1 && traced.plugin.length === 1, {
      what: 'a trace on each side',
    });
    expect(traced.host[0]).toMatchObject({ direction: 'outgoing', error: 'INVALID_ARGUMENT' });
    expect(traced.plugin[0]).toMatchObject({ direction: 'incoming', error: 'INVALID_ARGUMENT' });
  });

  it('reports nothing while the tracer is off, nor for notifications', async () => {
    const traced = tracedPair();
    traced.on.value = false;
    await traced.remote.echo('a');
    traced.on.value = true;
    await traced.remote.note('n');
    await traced.remote.echo('b');
    await waitFor(() => traced.plugin.length === 1, { what: 'the traced call' });
    expect([traced.host.length, traced.plugin.length]).toEqual([1, 1]);
    expect(traced.host[0]!.bytesIn).toBe(traced.plugin[0]!.bytesOut);
  });
});
