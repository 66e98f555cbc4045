// One extension in the Extensions table: its figures, its state, the actions that apply to that state, and
// (expanded) its details — manifest problems, host-API grants, last error with the last records, install.
import { Fragment, useState, type ReactElement } from 'react';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { errorText } from '../common/error-text.js';
import { NONE, formatBytes, formatMs, formatPercent, formatRate } from '../common/format.js';
import type { ExtensionSnapshot, ExtensionStats, ManagerRemote } from '../connection/host-types.js';

const COLUMNS = 12;
const activeStates = new Set(['starting', 'running', 'unresponsive', 'stopping']);

type Action = 'start' | 'stop' | 'restart' | 'enable' | 'disable' | 'uninstall';

const actionLabels: Readonly<Record<Action, string>> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  enable: 'Enable',
  disable: 'Disable',
  uninstall: 'Uninstall',
};

/** The actions that make sense in the extension's state. */
export function actionsFor(extension: ExtensionSnapshot): Action[] {
  const { state } = extension;
  if (state === 'invalid') return extension.install === undefined ? [] : ['uninstall'];
  const actions: Action[] =
    state === 'disabled'
      ? ['enable']
      : activeStates.has(state)
        ? ['stop', 'restart', 'disable']
        : state === 'crashed' || state === 'failed'
          ? ['restart', 'disable']
          : ['start', 'disable'];
  if (extension.install !== undefined) actions.push('uninstall');
  return actions;
}

export function ExtensionRow(props: {
  /** Undefined while disconnected: the row stays, its actions wait. */
  readonly api: ManagerRemote | undefined;
  readonly extension: ExtensionSnapshot;
  readonly stats: ExtensionStats | undefined;
  readonly expanded: boolean;
  readonly onToggle: () => void;
  /** Reads the extension again (a grant changes it without a state event). */
  readonly refresh: (id: string) => Promise<void>;
}): ReactElement {
  const { api, extension, stats, expanded, onToggle, refresh } = props;
  const [busy, setBusy] = useState<Action | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const { id } = extension;
  const running = activeStates.has(extension.state);

  const run = (action: Action): void => {
    if (api === undefined) return;
    setBusy(action);
    setError(undefined);
    const call = action === 'uninstall' ? api.uninstall(id, {}) : api[action](id);
    call.then(
      () => setBusy(undefined),
      (e: unknown) => {
        setBusy(undefined);
        setError(`${actionLabels[action]} failed — ${errorText(e)}`);
      },
    );
  };

  const lastError = extension.lastError;
  return (
    <Fragment>
      <tr className={`extension-row state-${extension.state}`} data-extension={id}>
        <th scope="row">
          <div className="name">
            <button
              type="button"
              className="disclosure"
              aria-expanded={expanded}
              aria-label={`Details of ${id}`}
              onClick={onToggle}
            >
              {expanded ? '▾' : '▸'}
            </button>
            <span className="display-name">{extension.displayName}</span>
            {extension.displayName !== id && <span className="id">{id}</span>}
          </div>
        </th>
        <td>{extension.version}</td>
        <td>
          <span className={`badge state-${extension.state}`} aria-label={`State: ${extension.state}`}>
            {extension.state}
          </span>
        </td>
        <td>{extension.runner}</td>
        <td className="num">{running ? (extension.pid ?? NONE) : NONE}</td>
        <td className="num">{running ? formatPercent(stats?.cpuPercent) : NONE}</td>
        <td className="num">{running ? formatBytes(stats?.rssBytes) : NONE}</td>
        <td className="num">{formatMs(extension.handshakeMs)}</td>
        <td className="num">{extension.restarts}</td>
        <td className="num">{running ? formatRate(stats?.callsPerSecond) : NONE}</td>
        <td className="last-error" title={lastError?.message}>
          {lastError === undefined ? '' : `${lastError.code}: ${lastError.message}`}
        </td>
        <td>
          <div className="actions">
            {actionsFor(extension).map((action) => (
              <button
                key={action}
                type="button"
                className={action === 'uninstall' ? 'danger' : ''}
                aria-label={`${actionLabels[action]} ${id}`}
                disabled={busy !== undefined || api === undefined}
                onClick={() => (action === 'uninstall' ? setConfirming(true) : run(action))}
              >
                {busy === action ? `${actionLabels[action]}…` : actionLabels[action]}
              </button>
            ))}
          </div>
        </td>
      </tr>
      {error !== undefined && (
        <tr className="row-message">
          <td colSpan={COLUMNS}>
            <p role="alert" className="error">
              {error}
            </p>
          </td>
        </tr>
      )}
      {extension.state === 'invalid' && extension.problems !== undefined && extension.problems.length > 0 && (
        <tr className="row-message">
          <td colSpan={COLUMNS}>
            <div className="problems">
              <strong>The manifest of {id} has problems:</strong>
              <ul aria-label={`Manifest problems of ${id}`}>
                {extension.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </div>
          </td>
        </tr>
      )}
      {expanded && (
        <tr className="details-row">
          <td colSpan={COLUMNS}>
            <ExtensionDetails api={api} extension={extension} refresh={refresh} />
          </td>
        </tr>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Uninstall ${id}?`}
          message={`This stops ${extension.displayName} and removes every installed version of it. Its log history stays.`}
          confirmLabel="Uninstall"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            run('uninstall');
          }}
        />
      )}
    </Fragment>
  );
}

function ExtensionDetails(props: {
  readonly api: ManagerRemote | undefined;
  readonly extension: ExtensionSnapshot;
  readonly refresh: (id: string) => Promise<void>;
}): ReactElement {
  const { api, extension, refresh } = props;
  // The box shows the user's choice at once; the host's answer (or its error) settles it.
  const [pending, setPending] = useState<{ readonly hostApi: string; readonly grant: boolean } | undefined>(
    undefined,
  );
  const [error, setError] = useState<string | undefined>(undefined);
  const lastError = extension.lastError;

  const toggle = (hostApi: string, grant: boolean): void => {
    if (api === undefined) return;
    setPending({ hostApi, grant });
    setError(undefined);
    (grant ? api.grant(extension.id, hostApi) : api.revoke(extension.id, hostApi))
      .then(() => refresh(extension.id))
      .then(
        () => setPending(undefined),
        (e: unknown) => {
          setPending(undefined);
          setError(errorText(e));
        },
      );
  };

  return (
    <div className="details" aria-label={`Details of ${extension.id}`} role="region">
      <fieldset className="permissions">
        <legend>Host API permissions</legend>
        {extension.hostApis.length === 0 ? (
          <p className="muted">Its manifest asks for no host API.</p>
        ) : (
          extension.hostApis.map((hostApi) => (
            <label key={hostApi} className="checkbox">
              <input
                type="checkbox"
                aria-label={`Allow ${extension.id} to use ${hostApi}`}
                checked={
                  pending?.hostApi === hostApi ? pending.grant : extension.grantedHostApis.includes(hostApi)
                }
                disabled={pending !== undefined || api === undefined}
                onChange={(e) => toggle(hostApi, e.target.checked)}
              />
              {hostApi}
            </label>
          ))
        )}
        {error !== undefined && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </fieldset>
      <dl className="facts">
        <dt>Folder</dt>
        <dd>{extension.folder}</dd>
        <dt>Activation</dt>
        <dd>
          {extension.activation}
          {extension.idleTimeoutMs === undefined
            ? ''
            : `, stopped after ${extension.idleTimeoutMs / 1000} s idle`}
        </dd>
        <dt>Services</dt>
        <dd>{extension.services.join(', ') || NONE}</dd>
        <dt>Signature</dt>
        <dd>
          {extension.install === undefined
            ? 'not installed by the manager (a development folder)'
            : extension.install.signed
              ? `signed by ${extension.install.publisher ?? extension.install.keyId ?? 'a trusted key'}`
              : 'unsigned'}
        </dd>
        {extension.startedAt !== undefined && (
          <>
            <dt>Started</dt>
            <dd>{new Date(extension.startedAt).toLocaleString()}</dd>
          </>
        )}
      </dl>
      {lastError !== undefined && (
        <div className="last-error-details" aria-label={`Last error of ${extension.id}`} role="group">
          <h4>
            Last error — {lastError.code} at {new Date(lastError.time).toLocaleTimeString()}
            {lastError.exitCode !== undefined && lastError.exitCode !== null
              ? `, exit code ${lastError.exitCode}`
              : ''}
            {lastError.signal !== undefined && lastError.signal !== null
              ? `, signal ${lastError.signal}`
              : ''}
          </h4>
          <p>{lastError.message}</p>
          {lastError.stderrTail !== undefined && lastError.stderrTail.length > 0 && (
            <>
              <h5>Last stderr lines</h5>
              <pre>{lastError.stderrTail.join('\n')}</pre>
            </>
          )}
          {lastError.lastLogs !== undefined && lastError.lastLogs.length > 0 && (
            <>
              <h5>Last records</h5>
              <pre aria-label={`Last records of ${extension.id}`}>{lastError.lastLogs.join('\n')}</pre>
            </>
          )}
        </div>
      )}
    </div>
  );
}
