// A comlink Endpoint over a fork IPC channel (the port adapter a comlink user writes to cross processes;
// comlink ships adapters only for workers and windows). Needs `serialization: 'advanced'` so bytes, Maps
// and the like survive. An IPC channel has no transfer list, so what comlink transfers cannot go through.
import type { EventEmitter } from 'node:events';
import type * as Comlink from 'comlink';
import { TetherError } from '../../sdk/src/errors/tether-error.js';

/**
 * `channel` is the ChildProcess (host) or `process` (child): its 'message' events are the other side's
 * messages; `send` is its `send`.
 */
export function ipcEndpoint(channel: EventEmitter, send: (message: unknown) => void): Comlink.Endpoint {
  const listeners = new Map<EventListenerOrEventListenerObject, (message: unknown) => void>();
  return {
    postMessage(message: unknown, transfer: Transferable[] = []) {
      if (transfer.length > 0) {
        // Node would send a MessagePort as `{}` (measured): the far side's comlink then fails on it. Close
        // what was to be transferred, so no half-used channel keeps this process alive, and say why.
        for (const item of transfer) (item as { close?: () => void }).close?.();
        throw new TetherError(
          'SERIALIZATION_ERROR',
          "comlink's proxies need a transferable MessagePort, which a fork IPC channel cannot carry: pass plain data, or run comlink over a worker",
        );
      }
      send(message);
    },
    addEventListener(_type, listener) {
      const deliver = (data: unknown): void => {
        const event = { data } as MessageEvent;
        if ('handleEvent' in listener) listener.handleEvent(event);
        else listener(event);
      };
      channel.on('message', deliver);
      listeners.set(listener, deliver);
    },
    removeEventListener(_type, listener) {
      const deliver = listeners.get(listener);
      if (deliver === undefined) return;
      channel.off('message', deliver);
      listeners.delete(listener);
    },
  };
}
