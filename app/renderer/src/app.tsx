// The app's frame: the connection banner, the tabs (Extensions, Logs, RPC, Terminal), the command palette
// (Ctrl/Cmd+Shift+P) and installing by dropping a package anywhere on the page. Each view owns its store, so
// a live tail re-renders its view only. Logs and RPC stay mounted while hidden so their history keeps
// growing; the Terminal mounts only while shown (its backlog replays when it opens again). The same frame is
// the Chrome DevTools panel (`flavour="panel"`, src/panel.tsx): the devtools views first, no Terminal, and no
// title — DevTools' own tab already says "Tether".
import { Suspense, lazy, useCallback, useEffect, useState, type DragEvent, type ReactElement } from 'react';
import { ConnectionBanner } from './connection/connection-banner.js';
import { useConnection } from './connection/manager-connection.js';
import { ExtensionsView } from './extensions/extensions-view.js';
import { useExtensionList } from './extensions/use-extension-list.js';
import { useInstall, type InstallOptionsState } from './extensions/use-install.js';
import { LogsView } from './logs/logs-view.js';
import { CommandPalette } from './palette/command-palette.js';
import { RpcInspector } from './rpc/rpc-inspector.js';

// xterm.js is most of the bundle's weight: loaded when the Terminal tab first opens, not with the page.
const TerminalView = lazy(() =>
  import('./terminal/terminal-view.js').then((m) => ({ default: m.TerminalView })),
);

type Tab = 'extensions' | 'logs' | 'rpc' | 'terminal';

/** Where the frame is shown: the app's own page, or a panel of Chrome's DevTools. */
export type AppFlavour = 'page' | 'panel';

interface TabInfo {
  readonly id: Tab;
  readonly label: string;
}

/** Each flavour's tabs, the first one shown unless the address names another. */
const tabsOf: Record<AppFlavour, readonly TabInfo[]> = {
  page: [
    { id: 'extensions', label: 'Extensions' },
    { id: 'logs', label: 'Logs' },
    { id: 'rpc', label: 'RPC' },
    { id: 'terminal', label: 'Terminal' },
  ],
  panel: [
    { id: 'logs', label: 'Logs' },
    { id: 'rpc', label: 'RPC' },
    { id: 'extensions', label: 'Extensions' },
  ],
};

/** The tab named in the page's hash (`#logs`), so a link or a reload opens it; else the first. */
function tabFromHash(tabs: readonly TabInfo[]): Tab {
  const name = location.hash.slice(1);
  return (tabs.find((t) => t.id === name) ?? tabs[0]!).id;
}

export function App({ flavour = 'page' }: { readonly flavour?: AppFlavour }): ReactElement {
  const tabs = tabsOf[flavour];
  const connection = useConnection();
  const { api, generation } = connection;
  const list = useExtensionList(api);
  const extensions = list.extensions ?? [];
  const [tab, setTab] = useState<Tab>(() => tabFromHash(tabs));
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const install = useInstall(api);
  const [installOptions, setInstallOptions] = useState<InstallOptionsState>({
    allowUnsigned: false,
    force: false,
  });

  const show = useCallback((next: Tab) => {
    setTab(next);
    history.replaceState(null, '', `#${next}`);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'p') {
        event.preventDefault();
        setPaletteOpen((open) => !open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (list.extensions !== undefined && performance.getEntriesByName('tether:extensions-shown').length === 0)
      performance.mark('tether:extensions-shown');
  }, [list.extensions]);

  const hasFiles = (event: DragEvent): boolean => event.dataTransfer.types.includes('Files');
  const onDragOver = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    if (!dragging) setDragging(true);
  };
  const onDrop = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length === 0) return;
    show('extensions');
    install.install(files, installOptions);
  };

  return (
    <div
      className={`app ${flavour}`}
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (e.relatedTarget === null) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="app-header">
        {flavour === 'page' && <h1>Tether</h1>}
        <nav role="tablist" aria-label="Views">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              onClick={() => show(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <button
          type="button"
          className="palette-button"
          onClick={() => setPaletteOpen(true)}
          aria-keyshortcuts="Control+Shift+P"
        >
          Commands <kbd>Ctrl+Shift+P</kbd>
        </button>
      </header>
      <ConnectionBanner />
      <main>
        <div
          role="tabpanel"
          id="panel-extensions"
          aria-labelledby="tab-extensions"
          hidden={tab !== 'extensions'}
        >
          <ExtensionsView
            api={api}
            visible={tab === 'extensions'}
            extensions={list.extensions}
            listError={list.error}
            refresh={list.refresh}
            install={{
              run: install.run,
              options: installOptions,
              setOptions: setInstallOptions,
              start: (files) => install.install(files, installOptions),
              dismiss: install.dismiss,
            }}
          />
        </div>
        <div role="tabpanel" id="panel-logs" aria-labelledby="tab-logs" hidden={tab !== 'logs'}>
          <LogsView api={api} generation={generation} extensions={extensions} />
        </div>
        <div role="tabpanel" id="panel-rpc" aria-labelledby="tab-rpc" hidden={tab !== 'rpc'}>
          <RpcInspector api={api} generation={generation} extensions={extensions} />
        </div>
        {tabs.some((t) => t.id === 'terminal') && (
          <div role="tabpanel" id="panel-terminal" aria-labelledby="tab-terminal" hidden={tab !== 'terminal'}>
            {tab === 'terminal' && (
              <Suspense fallback={<p className="empty">Loading the terminal…</p>}>
                <TerminalView api={api} extensions={extensions} />
              </Suspense>
            )}
          </div>
        )}
      </main>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop the .tgz package (and its .sig) to install it
        </div>
      )}
      {paletteOpen && <CommandPalette api={api} onClose={() => setPaletteOpen(false)} />}
    </div>
  );
}
