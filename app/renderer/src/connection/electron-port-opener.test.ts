// The Electron path of the UI's connection, in Node: a fake `window.tether` whose port request reaches the
// main process's real hand-off (app/main/renderer-ports.ts) serving the real manager's ManagerApi, a real
// MessageChannel (Node's, as Electron's MessageChannelMain), the preload's real forwarding into the page,
// and the UI's real ManagerConnection on top.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { managerApiBinding, type ExtensionStateChange } from '@tether/extension-host';
import { RendererPorts } from '../../../main/renderer-ports.js';
import { PORT_MESSAGE, createTetherBridge, forwardPort } from '../../../preload/tether-bridge.js';
import { ManagerTestbed } from '../../../../extension-host/src/manager/test-fixtures/manager-testbed.js';
import { waitFor } from '../../../../sdk/src/test-support/wait-for.js';
import {
  electronBridge,
  electronPortOpener,
  type BridgeWindow,
  type PagePort,
  type PortDelivery,
} from './electron-port-opener.js';
import { ManagerConnection } from './manager-connection.js';

/** A page's `window`: message listeners, and postMessage delivering to them a task later, as a browser does. */
class FakeWindow implements BridgeWindow {
  tether?: unknown;
  readonly #listeners = new Set<(event: PortDelivery) => void>();
  addEventListener(_type: 'message', listener: (event: PortDelivery) => void): void {
    this.#listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: PortDelivery) => void): void {
    this.#listeners.delete(listener);
  }
  postMessage(data: unknown, _targetOrigin: string, transfer: MessagePort[] = []): void {
    this.deliver({ source: this, data, ports: transfer as unknown as PagePort[] });
  }
  deliver(event: PortDelivery): void {
    setImmediate(() => {
      for (const listener of [...this.#listeners]) listener(event);
    });
  }
  get listeners(): number {
    return this.#listeners.size;
  }
}

let bed: ManagerTestbed;
const channels: MessageChannel[] = [];
beforeEach(async () => {
  bed = await ManagerTestbed.create();
});
afterEach(async () => {
  for (const channel of channels.splice(0)) channel.port1.close();
  await bed.dispose();
});

/** The app: main's hand-off over the manager, and a page whose preload forwards what main posts it. */
async function electronApp(): Promise<{
  page: FakeWindow;
  ports: RendererPorts<MessagePort>;
  requests: () => number;
}> {
  await bed.addExtension({ name: 'probe-ext' });
  const manager = await bed.manager();
  const ports = new RendererPorts([managerApiBinding(manager)], () => {
    const channel = new MessageChannel();
    channels.push(channel);
    return channel;
  });
  const page = new FakeWindow();
  let requests = 0;
  // The preload: ipcRenderer.send(REQUEST_PORT_CHANNEL) → main checks the sender, hands off; the port comes
  // back on PORT_MESSAGE and is forwarded to the main world.
  page.tether = createTetherBridge('0.1.0', () => {
    requests++;
    ports.handOff({ id: 1, post: (port) => forwardPort(page, [port]) });
  });
  return { page, ports, requests: () => requests };
}

describe('the UI’s connection in the Electron app', () => {
  it('carries ManagerApi — calls and events — over the port the main process hands over', async () => {
    const { page, ports } = await electronApp();
    const bridge = electronBridge(page);
    expect(bridge?.version).toBe('0.1.0');
    const connection = new ManagerConnection(electronPortOpener(page, bridge!));
    connection.start();
    try {
      const { api } = await waitFor(() => connection.snapshot.api && connection.snapshot, {
        what: 'the connection',
      });
      expect((await api!.list()).map((extension) => extension.id)).toEqual(['probe-ext']);
      const changes: ExtensionStateChange[] = [];
      api!.onDidChangeState((change) => changes.push(change));
      await api!.disable('probe-ext');
      await waitFor(() => changes.some((change) => change.to === 'disabled'), {
        what: 'the "disabled" state event',
      });
      expect((await api!.get('probe-ext')).state).toBe('disabled');
      expect(page.listeners).toBe(0);
    } finally {
      connection.dispose();
      ports.dispose();
    }
  });

  it('asks for a new port when the main process closes its connection (a reload), as a new generation', async () => {
    const { page, ports, requests } = await electronApp();
    const connection = new ManagerConnection(electronPortOpener(page, electronBridge(page)!), {
      initialDelayMs: 1,
      maxDelayMs: 4,
    });
    connection.start();
    try {
      await waitFor(() => connection.snapshot.status === 'connected', { what: 'the first connection' });
      ports.release(1);
      await waitFor(() => connection.snapshot.generation === 2, { what: 'the second connection' });
      expect(requests()).toBe(2);
      expect(await connection.snapshot.api!.list()).toHaveLength(1);
    } finally {
      connection.dispose();
      ports.dispose();
    }
  });

  it('takes only a port the window posted itself, and fails the attempt when none comes in time', async () => {
    const page = new FakeWindow();
    const stranger = new MessageChannel();
    channels.push(stranger);
    page.tether = createTetherBridge('0.1.0', () => {
      // Another frame's message, and a message without a port: both ignored.
      page.deliver({ source: {}, data: PORT_MESSAGE, ports: [stranger.port2 as unknown as PagePort] });
      page.deliver({ source: page, data: PORT_MESSAGE, ports: [] });
    });
    const open = electronPortOpener(page, electronBridge(page)!, 50);
    await expect(open()).rejects.toThrow('did not hand over a connection within 50 ms');
    expect(page.listeners).toBe(0);
  });

  it('is not chosen outside Electron: no bridge, or not the preload’s', () => {
    const page = new FakeWindow();
    expect(electronBridge(page)).toBeUndefined();
    page.tether = { version: '1' };
    expect(electronBridge(page)).toBeUndefined();
    page.tether = null;
    expect(electronBridge(page)).toBeUndefined();
  });

  it('fails the attempt when the bridge throws', async () => {
    const page = new FakeWindow();
    page.tether = createTetherBridge('0.1.0', () => {
      throw new Error('IPC is gone');
    });
    await expect(electronPortOpener(page, electronBridge(page)!)()).rejects.toThrow('IPC is gone');
    expect(page.listeners).toBe(0);
  });
});
