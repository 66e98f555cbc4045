// A UI's view of a manager in the tests: a Remote<ManagerApi> over a real RPC connection (loopback peers:
// the same mux, codec and RPC layers as a socket, a WebSocket or a MessagePort).
import type { Remote } from '@tether/sdk';
import { createLoopbackPeers } from '@tether/sdk/wire';
import type { ExtensionHostManager } from '../extension-host-manager.js';
import { managerApi, type ManagerApi } from '../manager-api.js';
import { managerApiBinding } from '../manager-api-service.js';

/** `manager` served as ManagerApi on one peer, and the other peer's remote of it; `dispose` disconnects. */
export function connectManagerApi(manager: ExtensionHostManager): {
  api: Remote<ManagerApi>;
  dispose(): void;
} {
  const peers = createLoopbackPeers();
  const binding = managerApiBinding(manager);
  peers.host.expose(binding.definition, binding.implementation);
  return { api: peers.plugin.remote(managerApi), dispose: () => peers.dispose() };
}
