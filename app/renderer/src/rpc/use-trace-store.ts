// The RPC inspector's store: which extensions are traced (`tracing()` / `setTracing`), the calls traced so far
// (`traces`, then live through `followLogs({ scope: 'rpc' })`), held in a ring and added once per frame.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../common/error-text.js';
import { followStream } from '../connection/follow-stream.js';
import type { ManagerRemote, TracingState } from '../connection/host-types.js';
import { TRACE_BUFFER_CAP } from '../constants.js';
import { traceCall, type TraceCall } from './trace-call.js';

export interface TraceStore {
  /** Oldest first, at most TRACE_BUFFER_CAP. */
  readonly calls: readonly TraceCall[];
  readonly tracing: TracingState | undefined;
  readonly setTracing: (on: boolean, extension?: string) => void;
  readonly clear: () => void;
  readonly error: string | undefined;
}

export function useTraceStore(api: ManagerRemote | undefined, generation: number): TraceStore {
  const [calls, setCalls] = useState<readonly TraceCall[]>([]);
  const [tracing, setTracingState] = useState<TracingState | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const pending = useRef<TraceCall[]>([]);
  const frame = useRef<number | undefined>(undefined);

  const flush = useCallback(() => {
    frame.current = undefined;
    const added = pending.current;
    pending.current = [];
    setCalls((current) => {
      const next = current.concat(added);
      return next.length > TRACE_BUFFER_CAP ? next.slice(next.length - TRACE_BUFFER_CAP) : next;
    });
  }, []);

  useEffect(() => {
    if (api === undefined) return;
    let disposed = false;
    let historyEnd: number | undefined;
    const early: TraceCall[] = [];
    setCalls([]);
    setError(undefined);
    const take = (call: TraceCall): void => {
      pending.current.push(call);
      if (pending.current.length > TRACE_BUFFER_CAP)
        pending.current.splice(0, pending.current.length - TRACE_BUFFER_CAP);
      frame.current ??= requestAnimationFrame(flush);
    };
    const stop = followStream(() => api.followLogs({ scope: 'rpc' }), {
      item: (batch) => {
        for (const record of batch) {
          const call = traceCall(record);
          if (call === undefined) continue;
          if (historyEnd === undefined) early.push(call);
          else if (call.seq > historyEnd) take(call);
        }
      },
      error: (e) => setError(`the live trace stopped: ${errorText(e)}`),
    });
    api.tracing().then(
      (state) => {
        if (!disposed) setTracingState(state);
      },
      (e: unknown) => {
        if (!disposed) setError(errorText(e));
      },
    );
    api.traces({ order: 'desc', limit: 2_000 }).then(
      (page) => {
        if (disposed) return;
        const history = page.records
          .map(traceCall)
          .filter((c) => c !== undefined)
          .reverse();
        historyEnd = history.at(-1)?.seq ?? 0;
        for (const call of history) take(call);
        for (const call of early.splice(0)) if (call.seq > historyEnd) take(call);
      },
      (e: unknown) => {
        if (disposed) return;
        historyEnd = 0;
        for (const call of early.splice(0)) take(call);
        setError(errorText(e));
      },
    );
    return () => {
      disposed = true;
      stop();
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      frame.current = undefined;
      pending.current = [];
    };
  }, [api, generation, flush]);

  const setTracing = useCallback(
    (on: boolean, extension?: string) => {
      if (api === undefined) return;
      // Shown at once; the host's own state replaces it when it answers.
      setTracingState((current) => {
        if (current === undefined) return current;
        if (extension === undefined) return { ...current, all: on };
        const others = current.extensions.filter((id) => id !== extension);
        return { ...current, extensions: on ? [...others, extension] : others };
      });
      const call = extension === undefined ? api.setTracing(on) : api.setTracing(on, extension);
      call.then(
        () => api.tracing().then(setTracingState),
        (e: unknown) => setError(errorText(e)),
      );
    },
    [api],
  );

  const clear = useCallback(() => setCalls([]), []);

  return { calls, tracing, setTracing, clear, error };
}
