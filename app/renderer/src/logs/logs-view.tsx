// Devtools panel — Logs: every extension's records or one's, live and from history, filtered by level,
// scope, text and time; a virtualized list (only the visible rows exist), which follows the tail only while
// scrolled to the bottom; a crash's line and its extension's last records marked; export as NDJSON.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import { formatClock, fromLocalInput, toLocalInput } from '../common/format.js';
import type { ExtensionSnapshot, LogLevel, ManagerRemote } from '../connection/host-types.js';
import { fieldsText, type LogEntry, type LogViewFilter } from './log-buffer.js';
import { exportRecords } from './log-export.js';
import { useLogStore } from './use-log-store.js';

const ROW_HEIGHT = 22;
const levels: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export function LogsView(props: {
  readonly api: ManagerRemote | undefined;
  readonly generation: number;
  readonly extensions: readonly ExtensionSnapshot[];
}): ReactElement {
  const { extensions } = props;
  const store = useLogStore(props.api, props.generation);
  const { buffer, filter } = store;
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [following, setFollowing] = useState(true);
  const [selected, setSelected] = useState<LogEntry | undefined>(undefined);
  const count = buffer.filteredSize;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // Rows that left the front (the ring is full) would shift what the reader looks at: scroll up with them.
  useEffect(() => {
    store.onEvicted((rows) => {
      const element = scroller.current;
      if (element !== null && !atBottom.current) element.scrollTop -= rows * ROW_HEIGHT;
    });
    return () => store.onEvicted(undefined);
  }, [store]);

  // Follow the tail while at the bottom.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element !== null && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [store.version, count]);

  const onScroll = (): void => {
    const element = scroller.current;
    if (element === null) return;
    const bottom = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT / 2;
    atBottom.current = bottom;
    if (bottom !== following) setFollowing(bottom);
  };

  const update = (change: Partial<LogViewFilter>): void => store.setFilter({ ...filter, ...change });
  const scopeOptions = [...new Set(['', 'console', 'stdout', 'stderr', 'tether', 'tether.audit'])];
  const suppressed = buffer.suppressed;
  const filtering = Object.values(filter).some((value) => value !== undefined && value !== '');

  return (
    <section className="logs" aria-label="Logs">
      <div className="toolbar" role="toolbar" aria-label="Log filters">
        <label>
          Extension
          <select
            value={filter.extension ?? ''}
            onChange={(e) => update({ extension: e.target.value === '' ? undefined : e.target.value })}
          >
            <option value="">All extensions</option>
            {extensions.map((e) => (
              <option key={e.id} value={e.id}>
                {e.displayName}
              </option>
            ))}
            <option value="(manager)">the manager</option>
          </select>
        </label>
        <label>
          Level
          <select
            value={filter.minLevel ?? ''}
            onChange={(e) =>
              update({ minLevel: e.target.value === '' ? undefined : (e.target.value as LogLevel) })
            }
          >
            <option value="">All levels</option>
            {levels.map((level) => (
              <option key={level} value={level}>
                {level} and above
              </option>
            ))}
          </select>
        </label>
        <label>
          Scope
          <input
            type="text"
            list="log-scopes"
            size={10}
            value={filter.scope ?? ''}
            placeholder="any"
            onChange={(e) => update({ scope: e.target.value === '' ? undefined : e.target.value })}
          />
          <datalist id="log-scopes">
            {scopeOptions.map((scope) => (
              <option key={scope} value={scope} />
            ))}
          </datalist>
        </label>
        <label className="grow">
          Search
          <input
            type="search"
            value={filter.text ?? ''}
            placeholder="text in message, fields, error"
            onChange={(e) => update({ text: e.target.value })}
          />
        </label>
        <label>
          From
          <input
            type="datetime-local"
            step={1}
            value={toLocalInput(filter.since)}
            onChange={(e) => update({ since: fromLocalInput(e.target.value) })}
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            step={1}
            value={toLocalInput(filter.until)}
            onChange={(e) => update({ until: fromLocalInput(e.target.value) })}
          />
        </label>
      </div>
      <div className="status-line" aria-live="off">
        <output aria-label="Records shown">
          {count.toLocaleString('en')} of {buffer.size.toLocaleString('en')} records
        </output>
        {store.filterMs !== undefined && filtering && (
          <output aria-label="Filter time">filtered in {store.filterMs.toFixed(1)} ms</output>
        )}
        {suppressed > 0 && (
          <output aria-label="Suppressed records" className="warn">
            suppressed {suppressed.toLocaleString('en')}
          </output>
        )}
        {store.droppedInUi > 0 && (
          <output className="warn">dropped by the page {store.droppedInUi.toLocaleString('en')}</output>
        )}
        {buffer.evicted > 0 && <output>{buffer.evicted.toLocaleString('en')} older records let go</output>}
        {!following && (
          <button
            type="button"
            className="link"
            onClick={() => {
              atBottom.current = true;
              setFollowing(true);
              const element = scroller.current;
              if (element !== null) element.scrollTop = element.scrollHeight;
            }}
          >
            Paused — jump to the newest
          </button>
        )}
        {store.error !== undefined && (
          <output role="alert" className="error">
            {store.error}
          </output>
        )}
        <span className="spacer" />
        <button type="button" onClick={store.loadOlder} disabled={!store.hasOlder || store.loadingHistory}>
          {store.loadingHistory ? 'Loading…' : 'Load older'}
        </button>
        <button type="button" onClick={() => exportRecords(buffer.filteredEntries())} disabled={count === 0}>
          Export
        </button>
      </div>
      <div className="log-scroller" ref={scroller} onScroll={onScroll}>
        <div
          className="log-rows"
          role="list"
          aria-label="Log records"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const entry = buffer.filteredAt(item.index);
            if (entry === undefined) return null;
            return (
              <LogRow
                key={entry.position}
                entry={entry}
                top={item.start}
                selected={entry === selected}
                onSelect={() => setSelected(entry === selected ? undefined : entry)}
              />
            );
          })}
        </div>
      </div>
      {selected !== undefined && <LogDetails entry={selected} onClose={() => setSelected(undefined)} />}
    </section>
  );
}

function LogRow(props: {
  readonly entry: LogEntry;
  readonly top: number;
  readonly selected: boolean;
  readonly onSelect: () => void;
}): ReactElement {
  const { entry, top, selected, onSelect } = props;
  const style = { transform: `translateY(${top}px)` };
  if (entry.kind === 'crash') {
    return (
      <div
        role="listitem"
        className="log-row crash"
        style={style}
        onClick={onSelect}
        aria-selected={selected}
      >
        <span className="time">{formatClock(entry.time)}</span>
        <span className="crash-label">crashed</span>
        <span className="message">{entry.message}</span>
      </div>
    );
  }
  const { record } = entry;
  const classes = ['log-row', `level-${record.level}`];
  if (entry.crashTail) classes.push('crash-tail');
  if (selected) classes.push('selected');
  return (
    <div
      role="listitem"
      className={classes.join(' ')}
      style={style}
      onClick={onSelect}
      title={entry.crashTail ? 'One of the last records before the extension crashed' : undefined}
    >
      <span className="time">{formatClock(record.time)}</span>
      <span className="level">{record.level}</span>
      <span className="extension">{record.extension}</span>
      <span className="scope">{record.scope}</span>
      <span className="message">
        {record.message}
        {record.error !== undefined && <span className="has-stack"> ⚠ {record.error.name}</span>}
      </span>
    </div>
  );
}

function LogDetails(props: { readonly entry: LogEntry; readonly onClose: () => void }): ReactElement {
  const { entry, onClose } = props;
  return (
    <aside className="log-details" aria-label="Record details">
      <button type="button" className="close" onClick={onClose} aria-label="Close record details">
        ×
      </button>
      {entry.kind === 'crash' ? (
        <>
          <h3>{entry.message}</h3>
          {entry.error?.stderrTail !== undefined && entry.error.stderrTail.length > 0 && (
            <>
              <h4>Last stderr lines</h4>
              <pre>{entry.error.stderrTail.join('\n')}</pre>
            </>
          )}
          {entry.error?.lastLogs !== undefined && entry.error.lastLogs.length > 0 && (
            <>
              <h4>Last records</h4>
              <pre>{entry.error.lastLogs.join('\n')}</pre>
            </>
          )}
        </>
      ) : (
        <>
          <h3>
            {entry.record.level} · {entry.record.extension} · {entry.record.scope || '(no scope)'} ·{' '}
            {new Date(entry.record.time).toISOString()}
          </h3>
          <pre>{entry.record.message}</pre>
          {entry.record.fields !== undefined && (
            <>
              <h4>Fields</h4>
              <pre>{fieldsText(entry.record.fields)}</pre>
            </>
          )}
          {entry.record.error !== undefined && (
            <>
              <h4>Error</h4>
              <pre className="stack">
                {entry.record.error.stack ?? `${entry.record.error.name}: ${entry.record.error.message}`}
              </pre>
            </>
          )}
        </>
      )}
    </aside>
  );
}
