// The page's half of the Electron app's port hand-off (the main process's: app/main/renderer-ports.ts): ask
// through `window.tether` (the preload's bridge, app/preload/tether-bridge.ts) and take the MessagePort that
// arrives as a `window` message from the window itself — Electron's documented way into a context-isolated
// page's main world. The port becomes a MessagePortTransport; past it, the connection is the browser mode's.
import { MessagePortTransport, type MessagePortLike, type Transport } from '@tether/sdk/common';
import { PORT_MESSAGE, type TetherBridge } from '../../../preload/tether-bridge.js';
import { PORT_HANDOFF_TIMEOUT_MS } from '../constants.js';
import type { TransportOpener } from './manager-connection.js';

/** The part of a port the page uses: a DOM MessagePort (or, in the tests, Node's, which is an EventTarget too). */
export interface PagePort {
  postMessage(message: unknown): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
  start(): void;
  close(): void;
}

/** The message the page receives: a `MessageEvent`'s fields the hand-off reads. */
export interface PortDelivery {
  readonly source: unknown;
  readonly data: unknown;
  readonly ports: readonly PagePort[];
}

/** The part of `window` the hand-off uses. */
export interface BridgeWindow {
  readonly tether?: unknown;
  addEventListener(type: 'message', listener: (event: PortDelivery) => void): void;
  removeEventListener(type: 'message', listener: (event: PortDelivery) => void): void;
}

/** The preload's bridge, when this page runs in the Electron app (`window.tether`), else undefined. */
export function electronBridge(page: BridgeWindow): TetherBridge | undefined {
  const bridge = page.tether as Partial<TetherBridge> | undefined;
  return typeof bridge === 'object' && bridge !== null && typeof bridge.requestPort === 'function'
    ? (bridge as TetherBridge)
    : undefined;
}

/**
 * An opener that asks `bridge` for a port and resolves with a transport over it; rejects when none comes
 * within `timeoutMs` (the main process refused the request, or is gone). The listener is added before the
 * request, so the port cannot arrive unheard; only a delivery from `page` itself (the preload) with one
 * port is taken.
 */
export function electronPortOpener(
  page: BridgeWindow,
  bridge: TetherBridge,
  timeoutMs: number = PORT_HANDOFF_TIMEOUT_MS,
): TransportOpener {
  return () =>
    new Promise<Transport>((resolve, reject) => {
      const onMessage = (event: PortDelivery): void => {
        if (event.source !== page || event.data !== PORT_MESSAGE || event.ports.length !== 1) return;
        finish();
        resolve(new MessagePortTransport(pagePortAdapter(event.ports[0]!)));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`the app did not hand over a connection within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        page.removeEventListener('message', onMessage);
      };
      page.addEventListener('message', onMessage);
      try {
        bridge.requestPort();
      } catch (error) {
        finish();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
}

/**
 * A DOM-style port as the sdk's MessagePortLike (which speaks Node's `on`/`removeListener`): the transport's
 * listeners receive the `MessageEvent` itself, whose `data` it reads; 'close' and 'messageerror' map to the
 * port's events of those names.
 */
export function pagePortAdapter(port: PagePort): MessagePortLike {
  return {
    postMessage: (message: unknown) => port.postMessage(message),
    on: (event: string, listener: (message: unknown) => void) => port.addEventListener(event, listener),
    removeListener: (event: string, listener: (message: unknown) => void) =>
      port.removeEventListener(event, listener),
    start: () => port.start(),
    close: () => port.close(),
  };
}
