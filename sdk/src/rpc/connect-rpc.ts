import { MuxSession } from '../mux/mux-session.js';
import type { MuxSessionOptions } from '../mux/mux-types.js';
import type { Transport } from '../transport/transport.js';
import type { RpcPeerOptions } from './rpc-options.js';
import { RpcPeer } from './rpc-peer.js';

export interface ConnectRpcOptions extends RpcPeerOptions {
  /** 'initiator' for the host, 'acceptor' for the plugin. */
  readonly role: MuxSessionOptions['role'];
  /** Mux limits (frame size, channel window, channel count, message size). */
  readonly mux?: Omit<MuxSessionOptions, 'role'>;
}

/** An RPC peer over a transport: the mux session and the peer in one step. Dispose the peer to close both. */
export function connectRpc(transport: Transport, options: ConnectRpcOptions): RpcPeer {
  const { role, mux, ...rpc } = options;
  return new RpcPeer(new MuxSession(transport, { ...mux, role }), rpc);
}
