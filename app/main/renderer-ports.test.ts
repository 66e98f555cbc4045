// The main process's half of the port hand-off, over real MessagePorts (Node's MessageChannel plays
// Electron's MessageChannelMain: both are Node-style emitters with start() and close()).
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { MessagePortTransport, connectRpc, defineService, implement, type RpcPeer } from '@tether/sdk/common';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';
import { RendererPorts, type PortChannel } from './renderer-ports.js';

interface Echo {
  echo(text: string): string;
}
const echo = defineService<Echo>()('test.echo', { methods: { echo: {} } });
const binding = implement(echo, { echo: (text) => `echo: ${text}` });

const channels: MessageChannel[] = [];
const peers: RpcPeer[] = [];
function nodeChannel(): PortChannel<MessagePort> {
  const channel = new MessageChannel();
  channels.push(channel);
  return { port1: channel.port1, port2: channel.port2 };
}

/** The page's side: an RPC peer over the port it was posted. */
function page(port: MessagePort): RpcPeer {
  const peer = connectRpc(new MessagePortTransport(port), { role: 'initiator' });
  peers.push(peer);
  return peer;
}

afterEach(() => {
  for (const peer of peers.splice(0)) peer.dispose();
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

describe('RendererPorts', () => {
  it('serves the bindings on a new channel and posts the other end to the page that asked', async () => {
    const ports = new RendererPorts([binding], nodeChannel);
    const posted: MessagePort[] = [];
    ports.handOff({ id: 1, post: (port) => posted.push(port) });
    expect(posted).toHaveLength(1);
    expect(ports.connections).toBe(1);
    expect(await page(posted[0]!).remote(echo).echo('hi')).toBe('echo: hi');
    ports.dispose();
  });

  it('gives a page one connection: asking again (a reload, a reconnection) closes the previous one', async () => {
    const ports = new RendererPorts([binding], nodeChannel);
    const posted: MessagePort[] = [];
    const requester = { id: 7, post: (port: MessagePort) => posted.push(port) };
    ports.handOff(requester);
    const first = page(posted[0]!);
    expect(await first.remote(echo).echo('one')).toBe('echo: one');
    ports.handOff(requester);
    await waitFor(() => first.closed, { what: 'the first connection to close' });
    expect(ports.connections).toBe(1);
    expect(await page(posted[1]!).remote(echo).echo('two')).toBe('echo: two');
    ports.dispose();
  });

  it('keeps pages apart, releases one on request, and forgets a connection the page closed', async () => {
    const ports = new RendererPorts([binding], nodeChannel);
    const posted = new Map<number, MessagePort>();
    for (const id of [1, 2, 3]) ports.handOff({ id, post: (port) => posted.set(id, port) });
    const [one, two, three] = [1, 2, 3].map((id) => page(posted.get(id)!));
    expect(await two!.remote(echo).echo('2')).toBe('echo: 2');
    ports.release(1);
    await waitFor(() => one!.closed, { what: 'page 1 to be closed' });
    three!.close();
    await waitFor(() => ports.connections === 1, { what: 'page 3’s connection to be forgotten' });
    expect(await two!.remote(echo).echo('still')).toBe('echo: still');
    ports.dispose();
  });

  it('closes every connection when disposed (quitting) and hands out no more', async () => {
    const ports = new RendererPorts([binding], nodeChannel);
    const posted: MessagePort[] = [];
    ports.handOff({ id: 1, post: (port) => posted.push(port) });
    const peer = page(posted[0]!);
    const pending = peer.remote(echo).echo('x');
    ports.dispose();
    await pending.catch(() => undefined);
    await waitFor(() => peer.closed, { what: 'the page’s connection to close' });
    ports.handOff({ id: 2, post: (port) => posted.push(port) });
    expect(posted).toHaveLength(1);
    expect(ports.connections).toBe(0);
    ports.dispose();
  });
});
