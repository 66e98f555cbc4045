import { MuxSession } from '../mux/mux-session.js';
import type { MuxSessionOptions } from '../mux/mux-types.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import type { RpcPeerOptions } from './rpc-options.js';
import { RpcPeer } from './rpc-peer.js';

/**
 * Two connected RPC peers in one process (host = initiator, plugin = acceptor) over an in-memory transport
 * that delivers asynchronously like a real one. For unit tests of the RPC layer; a plugin's tests use
 * `connectInProcess` from `@tether/sdk/testing` (host services, captured logs, commands, as a host sees them).
 */
export function createLoopbackPeers(
  options: { rpc?: RpcPeerOptions; mux?: Omit<MuxSessionOptions, 'role'> } = {},
): { host: RpcPeer; plugin: RpcPeer; dispose(): void } {
  const [hostTransport, pluginTransport] = createMemoryTransportPair();
  const host = new RpcPeer(new MuxSession(hostTransport, { ...options.mux, role: 'initiator' }), options.rpc);
  const plugin = new RpcPeer(
    new MuxSession(pluginTransport, { ...options.mux, role: 'acceptor' }),
    options.rpc,
  );
  return {
    host,
    plugin,
    dispose() {
      host.dispose();
      plugin.dispose();
    },
  };
}
