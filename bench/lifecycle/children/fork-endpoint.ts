// comlink over a fork IPC channel: a comlink Endpoint on top of `send`/`on('message')`, which a
// ChildProcess (host side) and `process` (child side) both have. Calls only: comlink's proxies need a
// transferable MessagePort, which an IPC channel cannot carry (anchors.md).
import type { Endpoint } from 'comlink';

/** What both ends of a fork IPC channel have. */
export interface IpcEnd {
  send?: ((message: never) => boolean) | undefined;
  readonly connected?: boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

type Listener = Parameters<Endpoint['addEventListener']>[1];

export function forkEndpoint(end: IpcEnd): Endpoint {
  // comlink removes the listener it added per call, so each wrapper is remembered by what it wraps.
  const wrappers = new WeakMap<Listener, (message: unknown) => void>();
  return {
    // comlink releases collected proxies by message, possibly after the channel closed: drop those.
    postMessage: (message: unknown) => {
      if (end.connected !== false) end.send!(message as never);
    },
    addEventListener: (_type: string, listener: Listener) => {
      const wrapper = (data: unknown): void => {
        const event = { data } as MessageEvent;
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      };
      wrappers.set(listener, wrapper);
      end.on('message', wrapper);
    },
    removeEventListener: (_type: string, listener: Listener) => {
      const wrapper = wrappers.get(listener);
      if (wrapper === undefined) return;
      wrappers.delete(listener);
      end.off('message', wrapper);
    },
  };
}
