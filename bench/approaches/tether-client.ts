// The host's side of the Tether approaches (whatever the transport): the bench service behind BenchClient.
import { proxy } from '../../sdk/src/index.js';
import type { RpcPeer } from '../../sdk/src/rpc/rpc-peer.js';
import type { BenchClient } from '../harness.js';
import { benchService, countBytes, repeatChunk } from './tether-service.js';

export function tetherClient(peer: RpcPeer): BenchClient {
  const service = peer.remote(benchService);
  const identity = proxy((n: number) => Promise.resolve(n));
  return {
    call: () => service.add(1, 2),
    echo: (data) => service.echo(data),
    callback: () => service.callBack(identity, 1),
    streamToHost: async (total, chunkSize) => countBytes(await service.produce(total, chunkSize)),
    streamToChild: (chunk, total) => service.consume(repeatChunk(chunk, total)),
  };
}
