// Issue 10: nothing a peer sends on an RPC channel may throw out of the receiver (an uncaught exception in
// the host). Hand-made messages, each either handled or closing the session as a protocol violation.
import { afterEach, describe, expect, it } from 'vitest';
import { ValueCodec } from '../codec/index.js';
import { MuxSession } from '../mux/mux-session.js';
import type { MuxCloseEvent } from '../mux/mux-types.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { waitFor } from '../test-support/wait-for.js';
import { MessageKind, RPC_CHANNEL_LABEL } from './rpc-protocol.js';
import { RpcPeer } from './rpc-peer.js';
import { defineService } from './service.js';

const echo = defineService<{ echo(value: unknown): unknown }>()('test.echo', { methods: { echo: {} } });
const hostileObject = { toString: 1, valueOf: 2 };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setup() {
  const [hostTransport, rawTransport] = createMemoryTransportPair();
  const host = new RpcPeer(new MuxSession(hostTransport, { role: 'initiator' }), {
    peerName: 'the hostile peer',
  });
  host.expose(echo, { echo: (value) => value });
  const raw = new MuxSession(rawTransport, { role: 'acceptor' });
  raw.onDidOpenChannel(() => undefined);
  const closes: MuxCloseEvent[] = [];
  host.onDidClose((event) => closes.push(event));
  const failures: Error[] = [];
  host.onDidFail((error) => failures.push(error));
  cleanups.push(() => {
    host.dispose();
    raw.dispose();
  });
  const channel = raw.openChannel(RPC_CHANNEL_LABEL);
  const codec = new ValueCodec();
  return { host, closes, failures, send: (message: unknown) => channel.send(codec.encode(message)) };
}

describe('hostile RPC messages', () => {
  it.each([
    [
      'a SUBSCRIBE whose names cannot be turned into strings',
      [MessageKind.Subscribe, hostileObject, hostileObject],
    ],
    [
      'an UNSUBSCRIBE whose names cannot be turned into strings',
      [MessageKind.Unsubscribe, hostileObject, 'x'],
    ],
    [
      'an EVENT whose names cannot be turned into strings',
      [MessageKind.Event, hostileObject, hostileObject, 1],
    ],
    ['a RELEASE of a made-up reference', [MessageKind.Release, hostileObject, -5]],
    ['a CANCEL of a made-up call', [MessageKind.Cancel, hostileObject]],
    ['a RESULT for a call never made', [MessageKind.Result, 424242, 'x']],
    ['an ERROR for a call never made, with a hostile error', [MessageKind.Error, 7, hostileObject]],
    ['a CALL with a hostile target', [MessageKind.Call, 1, hostileObject, 'echo', []]],
    ['a CALL of __proto__', [MessageKind.Call, 1, 'test.echo', '__proto__', []]],
    ['a message that is not an array', hostileObject],
    ['an unknown kind', [99, 1, 2]],
  ])('%s: handled or a protocol violation, never a throw', async (_what, message) => {
    const { host, closes, send } = setup();
    send(message);
    // A ping's answer comes after the message on the same connection: it proves the message was processed.
    await host.ping().catch(() => undefined);
    await waitFor(() => closes.length > 0 || !host.closed, { what: 'the message to be processed' });
    if (closes.length > 0) expect(closes[0]!.error).toMatchObject({ code: 'PROTOCOL_ERROR' });
  });
});
