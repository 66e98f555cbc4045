import { DEFAULT_STOP_GRACE_MS } from '../constants.js';
import { describeExit } from '../runner/plugin-exited-error.js';
import type { ExitStatus } from '../process/process-group.js';
import type { TerminalHandle } from '../terminal/terminal-handle.js';
import { exitCodeOf, signalExitCode } from './exit-code.js';
import { stopPlugin, type StopOutcome, type StoppableClient } from './stop-problem.js';
import { TerminalPassthrough } from './terminal-passthrough.js';
import type { TerminalInput, TerminalOutput, TextOutput } from './terminal-streams.js';

/** The part of a `PluginClient` this needs. */
export interface TerminalPluginClient extends StoppableClient {
  readonly pid: number;
}

export interface TerminalRunOptions {
  /** The user's keyboard and screen (process.stdin / process.stdout). */
  readonly stdin: TerminalInput;
  readonly stdout: TerminalOutput;
  /** Where the CLI's own messages go (process.stderr). */
  readonly stderr: TextOutput;
  /**
   * `--call`: runs once the terminal is passed through; its result (text) is printed on stdout, then the
   * plugin is stopped.
   */
  readonly call?: () => Promise<string>;
  /**
   * Where the call's result goes when not on the screen (`stdout` above): a redirected stdout, which gets
   * the text and a newline, nothing else. Default: on the screen, on a line of its own.
   */
  readonly result?: TextOutput;
  /** The client's `stopGraceMs`, named when a stop goes wrong (default DEFAULT_STOP_GRACE_MS). */
  readonly stopGraceMs?: number;
}

/** Signals that end `tether run` while it passes its terminal through. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

type Outcome =
  | { readonly kind: 'exited'; readonly status: ExitStatus }
  | { readonly kind: 'detached' }
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'terminal-lost' }
  | { readonly kind: 'called'; readonly text: string }
  | { readonly kind: 'call-failed'; readonly error: unknown };

/**
 * `tether run` for a plugin that runs in a terminal: passes the user's terminal through until the plugin
 * exits, and returns the exit status a shell would give the plugin (its code; 128 + signal number when a
 * signal killed it). The user's terminal is restored on every way out:
 *
 * - the plugin exits or crashes: its status (a crash is also reported on stderr);
 * - `Enter ~.`: the plugin is stopped; its status after the stop;
 * - SIGINT, SIGTERM or SIGHUP to the CLI: the plugin is stopped; 128 + the signal's number, as if the CLI
 *   had been killed by it (in raw mode Ctrl-C is not a signal to the CLI but a key for the plugin);
 * - the user's terminal goes away (stdin ends, stdout fails): the plugin is stopped; 129, as for SIGHUP;
 * - `--call`: the result is printed, the plugin stopped; its status after the stop (0 when it stopped
 *   cleanly); a failed call is thrown (after the restore).
 * A stop that goes wrong (an exit code other than 0, killed after the grace) is said on stderr, except
 * after SIGHUP or a lost terminal, where nobody is left to read it.
 * An exception in here, or the process exiting any other way, restores the terminal too (see
 * TerminalPassthrough).
 */
export async function runInTerminal(
  client: TerminalPluginClient,
  terminal: TerminalHandle,
  options: TerminalRunOptions,
): Promise<number> {
  const passthrough = new TerminalPassthrough(terminal, { stdin: options.stdin, stdout: options.stdout });
  // Raw mode leaves the outer terminal's output processing on, but a bare \n must not rely on that: the
  // CLI's lines start at the left margin whatever mode the user's terminal is in.
  const screenText = (text: string): string => text.replace(/\r?\n/g, '\r\n');
  const say = (text: string): void => {
    options.stderr.write(screenText(text));
  };
  /** Stops the plugin and, when `tell`, says on stderr if it did not stop cleanly when asked. */
  const stop = async (tell = true): Promise<StopOutcome> => {
    const outcome = await stopPlugin(client, options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    if (tell && outcome.problem !== undefined) say(`\ntether: ${outcome.problem}\n`);
    return outcome;
  };
  let settle: (outcome: Outcome) => void = () => {};
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
  const subscriptions = [
    passthrough.onDidDetach(() => settle({ kind: 'detached' })),
    passthrough.onDidLoseTerminal(() => settle({ kind: 'terminal-lost' })),
    terminal.onDidExit((status) => settle({ kind: 'exited', status })),
  ];
  if (terminal.exitStatus !== undefined) settle({ kind: 'exited', status: terminal.exitStatus });
  const onSignal = (signal: NodeJS.Signals): void => settle({ kind: 'signal', signal });
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

  try {
    if (passthrough.raw) {
      say(`tether: ${client.name} has this terminal until it exits; press Enter ~. to stop it.\n`);
    }
    let pendingCall: Promise<Outcome> | undefined;
    if (options.call !== undefined) {
      pendingCall = options.call().then(
        (text): Outcome => ({ kind: 'called', text }),
        (error: unknown): Outcome => ({ kind: 'call-failed', error }),
      );
      pendingCall.then(settle, () => undefined);
    }
    let result = await outcome;
    // The plugin exited under a pending call: the call's own error says more than the exit does.
    if (result.kind === 'exited' && pendingCall !== undefined) result = await pendingCall;

    switch (result.kind) {
      case 'exited': {
        passthrough.dispose();
        const { status } = result;
        if (status.code !== 0) say(`\ntether: ${client.name} ${describeExit(status)}.\n`);
        return exitCodeOf(status);
      }
      case 'detached': {
        say(`\ntether: stopping ${client.name} (Enter ~.).\n`);
        return exitCodeOf((await stop()).status);
      }
      case 'signal': {
        passthrough.restore();
        // After SIGHUP nobody is left to read a message, and writing to a hung-up terminal fails.
        if (result.signal !== 'SIGHUP') say(`\ntether: ${result.signal}: stopping ${client.name}.\n`);
        await stop(result.signal !== 'SIGHUP');
        return signalExitCode(result.signal);
      }
      case 'terminal-lost':
        await client.stop();
        return signalExitCode('SIGHUP');
      case 'called': {
        if (options.result === undefined) {
          // On a line of its own: the plugin's screen rarely ends at the left margin (a prompt).
          options.stdout.write(screenText(`\n${result.text}\n`));
        } else {
          options.result.write(`${result.text}\n`);
        }
        const { status, asked } = await stop();
        if (!asked && status.code !== 0) {
          say(`\ntether: ${client.name} ${describeExit(status)} by itself after the call.\n`);
        }
        return exitCodeOf(status);
      }
      case 'call-failed':
        passthrough.restore();
        await stop();
        throw result.error;
      default:
        return assertNever(result);
    }
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    for (const subscription of subscriptions) subscription.dispose();
    passthrough.dispose();
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected outcome ${JSON.stringify(value)}`);
}
