// The Terminal panel: xterm.js bound to a pty extension's terminal — its backlog first (a panel opened late
// still shows what came before), then live output; keys typed go to the extension; the terminal follows the
// panel's size (addon-fit), and the extension's terminal gets the new size.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { errorText } from '../common/error-text.js';
import { followStream } from '../connection/follow-stream.js';
import type { ExtensionSnapshot, ManagerRemote } from '../connection/host-types.js';
import { containStyles } from './contained-styles.js';

export function TerminalView(props: {
  readonly api: ManagerRemote | undefined;
  readonly extensions: readonly ExtensionSnapshot[];
}): ReactElement {
  const { api, extensions } = props;
  const ptyExtensions = extensions.filter((e) => e.runner === 'pty');
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const selected = ptyExtensions.find((e) => e.id === chosen) ?? ptyExtensions[0];
  const running = selected !== undefined && ['running', 'unresponsive'].includes(selected.state);

  return (
    <section className="terminal" aria-label="Terminal">
      <div className="toolbar" role="toolbar" aria-label="Terminal">
        <label>
          Extension
          <select
            value={selected?.id ?? ''}
            onChange={(e) => setChosen(e.target.value)}
            disabled={ptyExtensions.length === 0}
          >
            {ptyExtensions.map((e) => (
              <option key={e.id} value={e.id}>
                {e.displayName} ({e.state})
              </option>
            ))}
          </select>
        </label>
        {selected !== undefined && !running && api !== undefined && (
          <button type="button" onClick={() => void api.start(selected.id).catch(() => undefined)}>
            Start {selected.displayName}
          </button>
        )}
      </div>
      {ptyExtensions.length === 0 && (
        <p className="empty">
          No extension runs in a terminal (a manifest with `&quot;runner&quot;: &quot;pty&quot;`).
        </p>
      )}
      {selected !== undefined && !running && (
        <p className="empty">
          {selected.displayName} is {selected.state}. Its terminal shows while it runs.
        </p>
      )}
      {api !== undefined && selected !== undefined && running && (
        <TerminalScreen
          key={`${selected.id}:${selected.startedAt ?? 0}`}
          api={api}
          extension={selected.id}
          label={`Terminal of ${selected.displayName}`}
        />
      )}
    </section>
  );
}

function TerminalScreen(props: {
  readonly api: ManagerRemote;
  readonly extension: string;
  readonly label: string;
}): ReactElement {
  const { api, extension, label } = props;
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<string | undefined>(undefined);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const releaseStyles = containStyles(element);
    const terminal = new Terminal({
      cursorBlink: true,
      convertEol: false,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5_000,
      theme: { background: '#1e1f22', foreground: '#d4d4d4' },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    // The palette's shortcut belongs to the app, not to the program in the terminal (Ctrl+P would reach it).
    terminal.attachCustomKeyEventHandler(
      (event) => !((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'p'),
    );
    terminal.open(element);
    terminal.textarea?.setAttribute('aria-label', `${label}: input`);
    const report = (e: unknown): void => setStatus(errorText(e));
    const input = terminal.onData((data) => void api.writeTerminal(extension, data).catch(report));
    const resized = terminal.onResize((size) => void api.resizeTerminal(extension, size).catch(report));
    const refit = (): void => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    };
    refit();
    void api.resizeTerminal(extension, { cols: terminal.cols, rows: terminal.rows }).catch(report);
    const observer = new ResizeObserver(refit);
    observer.observe(element);
    const stop = followStream(() => api.followTerminal(extension), {
      item: (bytes) => terminal.write(bytes),
      end: () => setStatus('The terminal closed (the extension exited).'),
      error: report,
    });
    terminal.focus();
    return () => {
      stop();
      observer.disconnect();
      input.dispose();
      resized.dispose();
      terminal.dispose();
      releaseStyles();
    };
  }, [api, extension, label]);

  return (
    <div className="terminal-wrap">
      <div className="terminal-screen" ref={host} role="group" aria-label={label} />
      {status !== undefined && (
        <p role="status" className="muted">
          {status}
        </p>
      )}
    </div>
  );
}
