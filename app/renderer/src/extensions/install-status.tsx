// An install under way or just ended: the file, a progress bar with the steps, then what was installed or why
// it was refused (the InstallError's code and message, as the host sent them).
import type { ReactElement } from 'react';
import { installFailureHeadline, installStepLabels, installSteps, type InstallRun } from './use-install.js';

export function InstallStatus(props: {
  readonly run: InstallRun;
  readonly onDismiss: () => void;
}): ReactElement {
  const { run, onDismiss } = props;
  const reached = run.phase === undefined ? -1 : installSteps.indexOf(run.phase);
  const ended = run.result !== undefined || run.error !== undefined;
  return (
    <section className="install-status" aria-label={`Install of ${run.fileName}`}>
      <div className="install-head">
        <strong>{run.fileName}</strong>
        <progress
          aria-label="Install progress"
          max={1}
          value={run.error === undefined ? run.fraction : undefined}
          className={run.error === undefined ? '' : 'failed'}
        />
        {ended && (
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
      <ol className="install-steps" aria-label="Install steps">
        {installSteps.map((step, index) => {
          const state =
            index < reached || (index === reached && step === 'done')
              ? 'done'
              : index === reached
                ? run.error === undefined
                  ? 'current'
                  : 'failed'
                : 'todo';
          return (
            <li
              key={step}
              className={`step ${state}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              {installStepLabels[step]}
              {step === 'download' && run.total !== undefined && index <= reached && (
                <span className="detail"> {Math.round((run.bytes / Math.max(1, run.total)) * 100)} %</span>
              )}
            </li>
          );
        })}
      </ol>
      {run.result !== undefined && (
        <p role="status" className="ok">
          Installed {run.result.id} {run.result.version}
          {run.result.previousVersion === undefined ? '' : ` (was ${run.result.previousVersion})`}
          {run.result.signed
            ? `, signed by ${run.result.publisher ?? run.result.keyId ?? 'a trusted key'}`
            : ', unsigned'}
          .
        </p>
      )}
      {run.error !== undefined && (
        <div role="alert" className="error">
          <strong>{installFailureHeadline(run.error.code)}</strong>
          <p>{run.error.text}</p>
        </div>
      )}
    </section>
  );
}
