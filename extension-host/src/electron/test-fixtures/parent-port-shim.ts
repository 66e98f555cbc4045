// Test-only: gives a Node child started with an IPC channel the `process.parentPort` an Electron utility
// process has (postMessage + 'message' events carrying { data }), so the real serve() takes its
// utility-process path. Loaded with --import before the plugin.
type Listener = (event: { data: unknown; ports: unknown[] }) => void;
const wrapped = new Map<Listener, (data: unknown) => void>();

Object.defineProperty(process, 'parentPort', {
  value: {
    postMessage(message: unknown): void {
      process.send?.(message);
    },
    on(event: string, listener: Listener): void {
      if (event !== 'message') return;
      const handler = (data: unknown): void => listener({ data, ports: [] });
      wrapped.set(listener, handler);
      process.on('message', handler);
    },
    removeListener(event: string, listener: Listener): void {
      const handler = wrapped.get(listener);
      if (event === 'message' && handler !== undefined) process.off('message', handler);
    },
  },
});
