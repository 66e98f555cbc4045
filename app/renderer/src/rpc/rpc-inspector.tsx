// Devtools panel — RPC inspector: tracing switched on per extension; each traced call (direction,
// service.method, duration, bytes out and in, error), a timeline of the last seconds, and per method the
// count, p50, p99 and errors.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type ReactElement } from 'react';
import { formatBytes, formatClock, formatMs } from '../common/format.js';
import { TableHead, type Column } from '../common/table-head.js';
import type { ExtensionSnapshot, ManagerRemote } from '../connection/host-types.js';
import { TRACE_TIMELINE_MS } from '../constants.js';
import { methodStats } from './method-stats.js';
import type { TraceCall } from './trace-call.js';
import { useTraceStore } from './use-trace-store.js';

const ROW_HEIGHT = 22;
/** The spans the timeline can show (ms). */
const timelineWindows = [1_000, 5_000, TRACE_TIMELINE_MS, 300_000];

/** The per-method table's columns. */
const METHOD_COLUMNS: readonly Column[] = [
  { label: 'Method' },
  { label: 'Extension' },
  { label: 'Calls', numeric: true },
  { label: 'p50', numeric: true },
  { label: 'p99', numeric: true },
  { label: 'Errors', numeric: true },
  { label: 'Out', numeric: true },
  { label: 'In', numeric: true },
];

export function RpcInspector(props: {
  readonly api: ManagerRemote | undefined;
  readonly generation: number;
  readonly extensions: readonly ExtensionSnapshot[];
}): ReactElement {
  const { extensions } = props;
  const store = useTraceStore(props.api, props.generation);
  const [extension, setExtension] = useState<string>('');
  const [windowMs, setWindowMs] = useState(TRACE_TIMELINE_MS);
  const calls = useMemo(
    () => (extension === '' ? store.calls : store.calls.filter((c) => c.extension === extension)),
    [store.calls, extension],
  );
  const stats = useMemo(() => methodStats(calls), [calls]);
  const tracing = store.tracing;
  const traced = (id: string): boolean =>
    tracing !== undefined && (tracing.all || tracing.extensions.includes(id));

  return (
    <section className="rpc" aria-label="RPC inspector">
      <div className="toolbar" role="toolbar" aria-label="Tracing">
        <span className="label">Trace:</span>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={tracing?.all ?? false}
            disabled={tracing === undefined}
            onChange={(e) => store.setTracing(e.target.checked)}
          />
          all extensions
        </label>
        {extensions.map((e) => (
          <label key={e.id} className="checkbox">
            <input
              type="checkbox"
              aria-label={`Trace ${e.id}`}
              checked={traced(e.id)}
              disabled={tracing === undefined || tracing.all}
              onChange={(event) => store.setTracing(event.target.checked, e.id)}
            />
            {e.displayName}
          </label>
        ))}
        <span className="spacer" />
        <label>
          Show
          <select value={extension} onChange={(e) => setExtension(e.target.value)}>
            <option value="">All extensions</option>
            {extensions.map((e) => (
              <option key={e.id} value={e.id}>
                {e.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          Timeline
          <select value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
            {timelineWindows.map((ms) => (
              <option key={ms} value={ms}>
                last {ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={store.clear}>
          Clear
        </button>
      </div>
      {store.error !== undefined && (
        <p role="alert" className="error">
          {store.error}
        </p>
      )}
      <Timeline calls={calls} windowMs={windowMs} />
      <div className="rpc-panes">
        <div className="table-wrap method-stats">
          <table aria-label="Calls per method">
            <TableHead columns={METHOD_COLUMNS} />
            <tbody>
              {stats.map((row) => (
                <tr key={row.key}>
                  <th scope="row">
                    <Direction direction={row.direction} /> {row.method}
                  </th>
                  <td>{row.extension}</td>
                  <td className="num">{row.count}</td>
                  <td className="num">{formatMs(row.p50)}</td>
                  <td className="num">{formatMs(row.p99)}</td>
                  <td className={row.errors > 0 ? 'num error-text' : 'num'}>{row.errors}</td>
                  <td className="num">{formatBytes(row.bytesOut)}</td>
                  <td className="num">{formatBytes(row.bytesIn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {stats.length === 0 && (
            <p className="empty">
              No calls traced yet. Switch tracing on for an extension above, then use it.
            </p>
          )}
        </div>
        <CallList calls={calls} />
      </div>
    </section>
  );
}

function Direction(props: { readonly direction: TraceCall['direction'] }): ReactElement {
  return props.direction === 'outgoing' ? (
    <span className="direction out" title="host → extension" aria-label="outgoing">
      →
    </span>
  ) : (
    <span className="direction in" title="extension → host" aria-label="incoming">
      ←
    </span>
  );
}

/** The calls of the last `windowMs`: one bar per call from its start to its end, a lane per direction. */
function Timeline(props: { readonly calls: readonly TraceCall[]; readonly windowMs: number }): ReactElement {
  const { windowMs } = props;
  const width = 1000;
  const height = 56;
  const minWidth = 3;
  // The window ends now (or at the newest call, if the clocks disagree); it moves on with each new call.
  const end = Math.max(Date.now(), props.calls.at(-1)?.time ?? 0);
  const start = end - windowMs;
  const x = (time: number): number => ((time - start) / windowMs) * width;
  const visible: TraceCall[] = [];
  for (let i = props.calls.length - 1; i >= 0; i--) {
    const call = props.calls[i]!;
    if (call.time < start) break;
    visible.push(call);
  }
  return (
    <figure className="timeline">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Timeline: ${visible.length} calls in the last ${windowMs / 1000} s`}
      >
        <line x1={0} x2={width} y1={height / 2} y2={height / 2} className="lane-divider" />
        {visible.map((call) => {
          const barWidth = Math.max(minWidth, x(call.time) - x(call.time - call.durationMs));
          const left = Math.min(width - barWidth, Math.max(0, x(call.time) - barWidth));
          return (
            <rect
              key={call.seq}
              x={left}
              width={barWidth}
              y={call.direction === 'outgoing' ? 6 : height / 2 + 6}
              height={height / 2 - 12}
              className={call.error === undefined ? 'call' : 'call failed'}
            >
              <title>
                {call.service}.{call.method} {formatMs(call.durationMs)}
              </title>
            </rect>
          );
        })}
      </svg>
      <figcaption>
        <span>→ host to extension (top) · ← extension to host (bottom)</span>
        <span>last {windowMs / 1000} s</span>
      </figcaption>
    </figure>
  );
}

/** Every call, newest first (virtualized: a ring of up to 20 000). */
function CallList(props: { readonly calls: readonly TraceCall[] }): ReactElement {
  const { calls } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: calls.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  return (
    <div className="call-list">
      <div className="call-row header" aria-hidden="true">
        <span className="time">Time</span>
        <span className="dir" />
        <span className="method">Call</span>
        <span className="extension">Extension</span>
        <span className="num">Duration</span>
        <span className="num">Out</span>
        <span className="num">In</span>
        <span className="error-cell">Error</span>
      </div>
      <div className="call-scroller" ref={scroller}>
        <div
          role="list"
          aria-label="Traced calls"
          className="call-rows"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const call = calls[calls.length - 1 - item.index];
            if (call === undefined) return null;
            return (
              <div
                key={call.seq}
                role="listitem"
                className={call.error === undefined ? 'call-row' : 'call-row failed'}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <span className="time">{formatClock(call.time)}</span>
                <span className="dir">
                  <Direction direction={call.direction} />
                </span>
                <span className="method">
                  {call.service}.{call.method}
                </span>
                <span className="extension">{call.extension}</span>
                <span className="num" aria-label="duration">
                  {formatMs(call.durationMs)}
                </span>
                <span className="num">{formatBytes(call.bytesOut ?? call.bytes)}</span>
                <span className="num">{formatBytes(call.bytesIn)}</span>
                <span className="error-cell">{call.error ?? ''}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
