// The Extensions view: every extension in one table (VS Code's Running Extensions and Process Explorer
// together) with live state and resource figures, the actions for each, and installing from a file — picked
// here, or dropped anywhere on the page (the app hands dropped files to `onInstall`).
import { useRef, useState, type ReactElement } from 'react';
import { TableHead, type Column } from '../common/table-head.js';
import type { ExtensionSnapshot, ManagerRemote } from '../connection/host-types.js';
import { ExtensionRow } from './extension-row.js';
import { InstallStatus } from './install-status.js';
import { useExtensionStats } from './use-extension-stats.js';
import type { InstallOptionsState, InstallRun } from './use-install.js';

/** The table's columns, in the order ExtensionRow fills them. */
const COLUMNS: readonly Column[] = [
  { label: 'Name' },
  { label: 'Version' },
  { label: 'State' },
  { label: 'Runner' },
  { label: 'PID', numeric: true },
  { label: 'CPU', numeric: true },
  { label: 'Memory', numeric: true },
  { label: 'Handshake', numeric: true },
  { label: 'Restarts', numeric: true },
  { label: 'Calls/s', numeric: true },
  { label: 'Last error' },
  { label: 'Actions' },
];

export function ExtensionsView(props: {
  readonly api: ManagerRemote | undefined;
  /** Resource figures are sampled only while the view is shown. */
  readonly visible: boolean;
  readonly extensions: readonly ExtensionSnapshot[] | undefined;
  readonly listError: string | undefined;
  readonly refresh: (id: string) => Promise<void>;
  readonly install: {
    readonly run: InstallRun | undefined;
    readonly options: InstallOptionsState;
    readonly setOptions: (options: InstallOptionsState) => void;
    readonly start: (files: readonly File[]) => void;
    readonly dismiss: () => void;
  };
}): ReactElement {
  const { api, extensions, listError, install } = props;
  const stats = useExtensionStats(props.visible ? api : undefined);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const picker = useRef<HTMLInputElement>(null);
  const [rescanning, setRescanning] = useState(false);

  const toggle = (id: string): void =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section className="extensions" aria-label="Extensions">
      <div className="toolbar" role="toolbar" aria-label="Extension actions">
        <button
          type="button"
          className="primary"
          onClick={() => picker.current?.click()}
          disabled={api === undefined}
        >
          Install from file…
        </button>
        <input
          ref={picker}
          type="file"
          accept=".tgz,.sig"
          multiple
          aria-label="Extension package file"
          hidden
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            if (files.length > 0) install.start(files);
            e.target.value = '';
          }}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={install.options.allowUnsigned}
            onChange={(e) => install.setOptions({ ...install.options, allowUnsigned: e.target.checked })}
          />
          Allow unsigned
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={install.options.force}
            onChange={(e) => install.setOptions({ ...install.options, force: e.target.checked })}
          />
          Reinstall or downgrade
        </label>
        <span className="hint">the .tgz with its .sig — or drop them anywhere on this page</span>
        <span className="spacer" />
        <button
          type="button"
          disabled={api === undefined || rescanning}
          onClick={() => {
            if (api === undefined) return;
            setRescanning(true);
            void api
              .rescan()
              .catch((error: unknown) => console.warn('[tether] rescan failed:', error))
              .finally(() => setRescanning(false));
          }}
        >
          {rescanning ? 'Rescanning…' : 'Rescan folders'}
        </button>
      </div>
      {install.run !== undefined && <InstallStatus run={install.run} onDismiss={install.dismiss} />}
      {listError !== undefined && (
        <p role="alert" className="error">
          The extensions could not be listed: {listError}
        </p>
      )}
      <div className="table-wrap">
        <table className="extension-table" aria-label="Extensions">
          <TableHead columns={COLUMNS} />
          <tbody>
            {extensions?.map((extension) => (
              <ExtensionRow
                key={extension.id}
                api={api}
                extension={extension}
                stats={stats.get(extension.id)}
                expanded={expanded.has(extension.id)}
                onToggle={() => toggle(extension.id)}
                refresh={props.refresh}
              />
            ))}
          </tbody>
        </table>
        {extensions !== undefined && extensions.length === 0 && (
          <p className="empty">No extensions yet. Install one from a .tgz package.</p>
        )}
        {extensions === undefined && listError === undefined && <p className="empty">Loading…</p>}
      </div>
    </section>
  );
}
