import type { PluginClient } from './plugin-client.js';

const clients = new Set<PluginClient>();

/** @internal Registers a running client so `stopAllClients` can reach it; returns the unregister function. */
export function trackClient(client: PluginClient): () => void {
  clients.add(client);
  return () => clients.delete(client);
}

/**
 * Stops every running plugin client of this process (go-plugin's CleanupClients). Call it when the host is
 * about to exit; plugins also exit on their own when the host dies, but this lets them stop cleanly.
 */
export async function stopAllClients(): Promise<void> {
  await Promise.allSettled([...clients].map((client) => client.stop()));
}
