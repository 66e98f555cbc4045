// The host's side of the Tether approaches (whatever the transport): the bench service behind BenchClient.
import { proxy, transfer } from '../../sdk/src/index.js';
import type { RpcPeer } from '../../sdk/src/rpc/rpc-peer.js';
import type { BenchClient } from '../harness.js';
import { benchService, countBytes, repeatChunk } from './tether-service.js';

export function tetherClient(peer: RpcPeer): BenchClient {
  const service = peer.remote(benchService);
  const identity = proxy((n: number) => Promise.resolve(n));
  return {
    call: () => service.add(1, 2),
    // Bulk bytes go with transfer(): sent as they are, like the floor's socket.write (the caller does not
    // modify them while the call is in flight). Without it Tether copies them, as postMessage would.
    echo: (data) => service.echo(transfer(data)),
    callback: () => service.callBack(identity, 1),
    streamToHost: async (total, chunkSize) => countBytes(await service.produce(total, chunkSize)),
    streamToChild: (chunk, total) => service.consume(repeatChunk(chunk, total)),
  };
}
