import type { Disposable } from '@tether/sdk';
import type { HostLogRecord } from './log-record.js';

/**
 * Where kept records are written besides the in-memory store: per-extension log files. `write` must return
 * at once (queue, drop and count when behind); `flush` waits for what was queued.
 */
export interface LogSink extends Disposable {
  write(record: HostLogRecord): void;
  flush(): Promise<void>;
  /** Deletes an extension's log files, its rotated one included (uninstall with purge), after pending writes. */
  remove(extension: string): Promise<void>;
}
