// The Logs panel's store: the latest history (`queryLogs`, newest page first), then the live tail
// (`followLogs`) into a bounded LogBuffer. Records that arrive between two frames are added together, once per
// animation frame, so a tail of thousands of records a second costs one React update a frame.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../common/error-text.js';
import { followStream } from '../connection/follow-stream.js';
import type { HostLogRecord, ManagerRemote } from '../connection/host-types.js';
import { CRASH_TAIL_RECORDS, LOG_BUFFER_CAP, LOG_HISTORY_INITIAL, LOG_HISTORY_PAGE } from '../constants.js';
import { toLogEntries } from './crash-entries.js';
import { LogBuffer, type LogEntry, type LogViewFilter } from './log-buffer.js';

/** Scope of RPC trace records: the RPC inspector shows them, the Logs panel leaves them out. */
export const RPC_SCOPE = 'rpc';

export interface LogStore {
  readonly buffer: LogBuffer;
  /** Changes whenever the buffer did (a render key). */
  readonly version: number;
  readonly filter: LogViewFilter;
  readonly setFilter: (filter: LogViewFilter) => void;
  /** How long the last full filter pass took (ms). */
  readonly filterMs: number | undefined;
  /** Loads the page of history before the oldest record held. */
  readonly loadOlder: () => void;
  readonly loadingHistory: boolean;
  /** False once the host said there is no older record (or the buffer is full). */
  readonly hasOlder: boolean;
  /** Records the UI dropped itself (it could not render them in time). */
  readonly droppedInUi: number;
  readonly error: string | undefined;
  /** Called with the number of filtered rows that left the front, after each frame's update. */
  readonly onEvicted: (listener: ((rows: number) => void) | undefined) => void;
}

export function useLogStore(api: ManagerRemote | undefined, generation: number): LogStore {
  const bufferRef = useRef<LogBuffer>(undefined);
  bufferRef.current ??= new LogBuffer(LOG_BUFFER_CAP);
  const buffer = bufferRef.current;
  const [version, setVersion] = useState(0);
  const [filter, setFilterState] = useState<LogViewFilter>({});
  const [filterMs, setFilterMs] = useState<number | undefined>(undefined);
  const [loadingHistory, setLoadingHistory] = useState(false);
  const [hasOlder, setHasOlder] = useState(true);
  const [droppedInUi, setDroppedInUi] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  const evictedListener = useRef<((rows: number) => void) | undefined>(undefined);

  // Records waiting for the next frame (bounded: a hidden tab gets no frames).
  const pending = useRef<LogEntry[]>([]);
  const frame = useRef<number | undefined>(undefined);
  const flush = useCallback(() => {
    frame.current = undefined;
    const entries = pending.current;
    pending.current = [];
    const dropped = buffer.append(entries);
    setVersion(buffer.version);
    if (dropped > 0) evictedListener.current?.(dropped);
  }, [buffer]);
  const enqueue = useCallback(
    (entries: LogEntry[]) => {
      const queue = pending.current;
      for (const entry of entries) queue.push(entry);
      if (queue.length > LOG_BUFFER_CAP) {
        const excess = queue.length - LOG_BUFFER_CAP;
        queue.splice(0, excess);
        setDroppedInUi((n) => n + excess);
      }
      frame.current ??= requestAnimationFrame(flush);
    },
    [flush],
  );

  useEffect(() => {
    if (api === undefined) return;
    let disposed = false;
    buffer.clear();
    pending.current = [];
    setHasOlder(true);
    setError(undefined);
    setVersion(buffer.version);
    const toEntries = (records: readonly HostLogRecord[], after: number): LogEntry[] => {
      const fresh = records.filter((record) => record.seq > after && record.scope !== RPC_SCOPE);
      const { entries, unmarked } = toLogEntries(fresh, CRASH_TAIL_RECORDS);
      if (unmarked.size > 0) {
        // A crash whose last records came in earlier batches: they are in the buffer, or waiting for the frame.
        flush();
        for (const [extension, count] of unmarked) buffer.markCrashTail(extension, count);
      }
      return entries;
    };

    // Follow first, load history second: a record is in one or both, and the live copy of one that is in
    // both is dropped by its seq.
    let historyEnd: number | undefined;
    const early: (readonly HostLogRecord[])[] = [];
    const stopFollowing = followStream(() => api.followLogs({}), {
      item: (batch) => {
        if (historyEnd === undefined) early.push(batch);
        else enqueue(toEntries(batch, historyEnd));
      },
      error: (e) => setError(`the live tail stopped: ${errorText(e)}`),
    });
    setLoadingHistory(true);
    api.queryLogs({ order: 'desc', limit: LOG_HISTORY_INITIAL }).then(
      (page) => {
        if (disposed) return;
        const records = page.records.slice().reverse();
        historyEnd = records.at(-1)?.seq ?? 0;
        buffer.append(toEntries(records, -1));
        setHasOlder(page.nextCursor !== undefined);
        for (const batch of early.splice(0)) enqueue(toEntries(batch, historyEnd));
        setLoadingHistory(false);
        setVersion(buffer.version);
      },
      (e: unknown) => {
        if (disposed) return;
        historyEnd = 0;
        for (const batch of early.splice(0)) enqueue(toEntries(batch, historyEnd));
        setLoadingHistory(false);
        setError(`the history could not be read: ${errorText(e)}`);
      },
    );
    return () => {
      disposed = true;
      stopFollowing();
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      frame.current = undefined;
    };
  }, [api, generation, buffer, enqueue, flush]);

  const setFilter = useCallback(
    (next: LogViewFilter) => {
      setFilterState(next);
      setFilterMs(buffer.setFilter(next));
      setVersion(buffer.version);
    },
    [buffer],
  );

  const loadOlder = useCallback(() => {
    const oldest = buffer.oldest();
    if (api === undefined || loadingHistory || buffer.size >= buffer.capacity) return;
    const oldestSeq =
      oldest === undefined ? undefined : oldest.kind === 'record' ? oldest.record.seq : oldest.seq;
    const cursor = oldestSeq === undefined ? undefined : String(oldestSeq);
    setLoadingHistory(true);
    api
      .queryLogs({ order: 'desc', limit: LOG_HISTORY_PAGE, ...(cursor === undefined ? {} : { cursor }) })
      .then(
        (page) => {
          const records = page.records
            .slice()
            .reverse()
            .filter((r) => r.scope !== RPC_SCOPE);
          const { entries } = toLogEntries(records, CRASH_TAIL_RECORDS);
          const added = buffer.prepend(entries);
          setHasOlder(page.nextCursor !== undefined && added === entries.length);
          setLoadingHistory(false);
          setVersion(buffer.version);
        },
        (e: unknown) => {
          setLoadingHistory(false);
          setError(`older records could not be read: ${errorText(e)}`);
        },
      );
  }, [api, buffer, loadingHistory]);

  const onEvicted = useCallback((listener: ((rows: number) => void) | undefined) => {
    evictedListener.current = listener;
  }, []);

  return {
    buffer,
    version,
    filter,
    setFilter,
    filterMs,
    loadOlder,
    loadingHistory,
    hasOlder,
    droppedInUi,
    error,
    onEvicted,
  };
}
