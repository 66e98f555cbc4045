// Reading a remote async iterable (followLogs, followStats, an install's progress) from a React effect: the
// effect's cleanup must be able to stop it at any point — before the stream has arrived, or while a read is
// pending — and nothing may be delivered after that.

export interface StreamHandlers<T> {
  item(value: T): void;
  /** The stream failed (not called after `stop`). */
  error?(error: unknown): void;
  /** The stream ended (not called after `stop`). */
  end?(): void;
}

/** Starts reading the stream `open` gives; returns the function that stops reading it (idempotent). */
export function followStream<T>(
  open: () => Promise<AsyncIterable<T>>,
  handlers: StreamHandlers<T>,
): () => void {
  let stopped = false;
  let iterator: AsyncIterator<T> | undefined;
  const close = (it: AsyncIterator<T>): void => {
    void Promise.resolve(it.return?.()).catch(() => undefined);
  };
  void (async () => {
    try {
      const iterable = await open();
      iterator = iterable[Symbol.asyncIterator]();
      if (stopped) {
        close(iterator);
        return;
      }
      for (;;) {
        const result = await iterator.next();
        if (stopped) return;
        if (result.done === true) {
          handlers.end?.();
          return;
        }
        handlers.item(result.value);
      }
    } catch (error) {
      if (!stopped) handlers.error?.(error);
    }
  })();
  return () => {
    if (stopped) return;
    stopped = true;
    if (iterator !== undefined) close(iterator);
  };
}
