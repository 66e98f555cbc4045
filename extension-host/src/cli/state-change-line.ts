import type { ExtensionSnapshot, ExtensionState, ExtensionStateChange } from '../manager/extension-state.js';
import { lastProblem } from './last-problem.js';

/** States whose line says what went wrong. */
const troubled: ReadonlySet<ExtensionState> = new Set(['crashed', 'failed', 'invalid']);

/** `14:02:07`: the local wall-clock time of `time`. */
export function clockTime(time: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}

/**
 * The line `tether host` prints for a state change: `14:02:07 @acme/kv starting → running`, plus what went
 * wrong when it became crashed, failed or invalid (`: PLUGIN_EXITED: Plugin "@acme/kv" exited with code 3`).
 */
export function stateChangeLine(change: ExtensionStateChange, time: Date): string {
  return `${clockTime(time)} ${change.id} ${change.from} → ${change.to}${problemOf(change.snapshot)}`;
}

/** The line `tether host` prints for an extension when it starts or finds it: `14:02:07 @acme/kv 1.0.0 stopped`. */
export function extensionLine(snapshot: ExtensionSnapshot, time: Date): string {
  const version = snapshot.version === '' ? '' : ` ${snapshot.version}`;
  return `${clockTime(time)} ${snapshot.id}${version} ${snapshot.state}${problemOf(snapshot)}`;
}

function problemOf(snapshot: ExtensionSnapshot): string {
  if (!troubled.has(snapshot.state)) return '';
  const problem = lastProblem(snapshot);
  return problem === undefined ? '' : `: ${problem}`;
}
