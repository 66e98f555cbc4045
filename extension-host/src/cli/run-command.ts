import path from 'node:path';
import { TetherError, type Disposable } from '@tether/sdk';
import type { PluginClient } from '../client/plugin-client.js';
import { startExtension } from '../client/start-extension.js';
import type { OutputWriter } from '../process/output-mirror.js';
import type { ExitStatus } from '../process/process-group.js';
import { DEFAULT_STOP_GRACE_MS } from '../constants.js';
import { checkHostCompatibility } from '../manifest/check-host-compatibility.js';
import { didYouMean } from '../manifest/did-you-mean.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import { readManifest } from '../manifest/parse-manifest.js';
import { defaultLogDir } from '../logging/default-log-dir.js';
import { ElectronLogSink } from '../logging/electron-log-sink.js';
import { LogStore } from '../logging/log-store.js';
import { describeExit } from '../runner/plugin-exited-error.js';
import type { TerminalSize } from '../terminal/terminal-handle.js';
import { CALL_FAILURE_EXIT_WAIT_MS, CallFailedError } from './call-failed-error.js';
import { EXIT_FAILURE, EXIT_OK } from './exit-code.js';
import type { CallRequest } from './cli-command.js';
import { printCallResult } from './print-call-result.js';
import { runInTerminal } from './run-in-terminal.js';
import { stopPlugin } from './stop-problem.js';
import { userTerminalEnv } from './user-terminal-env.js';
import {
  toTerminalOutput,
  type TerminalInput,
  type TerminalOutput,
  type TextOutput,
} from './terminal-streams.js';

/** Where the CLI writes text (process.stdout / process.stderr, or a buffer in tests). */
export type Output = TextOutput;

export interface RunOptions {
  /** The method to call once the extension is up; without it, run until stopped. */
  readonly call?: CallRequest;
  /** Print results (and, later, events) as JSON. */
  readonly json: boolean;
  readonly debug: boolean;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Folder of the per-extension log files (default `defaultLogDir()`). */
  readonly logDir?: string;
  /** The user's keyboard, passed through to an extension that runs in a terminal (default process.stdin). */
  readonly stdin?: TerminalInput;
  /** The plugin client's `stopGraceMs` (default DEFAULT_STOP_GRACE_MS). */
  readonly stopGraceMs?: number;
}

/** Starts a validated extension and returns the exit status. */
export type RunExtension = (
  manifest: ExtensionManifest,
  extensionDir: string,
  options: RunOptions,
) => Promise<number>;

/**
 * Starts the extension through a `PluginClient`: the runner for `manifest.runner`, the cookie from
 * `tether.handshake`, every app protocol version the manifest lists. With `--call`, calls the method, prints
 * the result (a streamed one item by item as the items arrive: print-call-result.ts) and stops the
 * extension; without it, runs until SIGINT/SIGTERM. The extension's stdout and stderr are mirrored to
 * `options.stderr`, prefixed with its name. A stop that goes wrong (the plugin exits
 * with a code other than 0, or is killed after the grace) is said on stderr and the status is 1 (issue 10);
 * a failed call is thrown as a CallFailedError.
 *
 * An extension that runs in a terminal (`"runner": "pty"`) gets the user's terminal instead: it is passed
 * through (raw mode, resize followed) until the plugin exits, and the exit status is the plugin's (see
 * run-in-terminal.ts); `--call` works the same, with the terminal passed through meanwhile (on stderr when
 * stdout is redirected, so that stdout holds the result alone). The plugin gets the user's `TERM` and
 * `COLORTERM`, as ssh passes `TERM`.
 */
export const runExtension: RunExtension = async (manifest, extensionDir, options) => {
  // The extension's logs also go through electron-log (its Node build) to <log dir>/<name>.log, where
  // "tether logs <name>" reads them.
  const logStore = new LogStore();
  const logFile = new ElectronLogSink({ dir: options.logDir ?? defaultLogDir() });
  logStore.addSink(logFile);
  const display = manifest.runner === 'pty' ? screenFor(options) : undefined;
  const screen = display?.screen;
  const stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  const { client } = await startExtension(extensionDir, {
    stopGraceMs,
    runnerOptions: {
      output: toWriter(options.stderr),
      // A terminal plugin starts at the size of the user's window, so it never sees a resize it did not cause.
      ...(screen === undefined ? {} : windowSizeOf(screen)),
    },
    // Its escape sequences go to the user's terminal as they are: it must know which terminal that is.
    ...(screen?.isTTY === true ? { env: userTerminalEnv(process.env) } : {}),
    logStore,
  }).catch(async (error: unknown) => {
    await logFile.flush();
    throw error;
  });
  try {
    const terminal = client.terminal;
    const call = options.call;
    if (terminal !== undefined) {
      const { screen: stdout, result } = display ?? screenFor(options);
      return await runInTerminal(client, terminal, {
        stdin: options.stdin ?? process.stdin,
        stdout,
        stderr: options.stderr,
        stopGraceMs,
        ...(call === undefined ? {} : { call: () => callForText(client, call, options.json) }),
        ...(result === undefined ? {} : { result }),
      });
    }
    if (call === undefined) return await runUntilSignal(client, options.stderr, stopGraceMs);
    try {
      await callMethod(client, call, (result) => printCallResult(result, options.json, options.stdout));
    } catch (error) {
      // The call's error says why the plugin is gone, if it is; a stop that goes wrong is said too.
      await stopAfterCall(client, options.stderr, stopGraceMs, { callFailed: true });
      throw error;
    }
    return await stopAfterCall(client, options.stderr, stopGraceMs, { callFailed: false });
  } finally {
    await client.stop();
    await logFile.flush();
    logStore.dispose();
  }
};

/**
 * Calls `service.method(...args)` once and hands the result to `print` (printCallResult: a streamed result
 * is drained there, item by item). Rejects with a CallFailedError whose cause is the call's error, or the
 * error a streamed result ended with.
 */
async function callMethod(
  client: PluginClient,
  call: CallRequest,
  print: (result: unknown) => Promise<void>,
): Promise<void> {
  const { service, method, args } = call;
  const definition = { name: service, methods: new Map([[method, {}]]), events: new Set<string>() };
  try {
    const remote = client.dispense(definition) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    await print(await remote[method]!(...args));
  } catch (error) {
    throw new CallFailedError(`${service}.${method}`, error, await stderrTailAfterExit(client, error));
  }
}

/**
 * The call for an extension that runs in a terminal: the result as text, printed by runInTerminal once the
 * call is done (the screen is the extension's meanwhile), so a streamed result's items come at its end.
 */
async function callForText(client: PluginClient, call: CallRequest, json: boolean): Promise<string> {
  let text = '';
  await callMethod(client, call, (result) =>
    printCallResult(result, json, { write: (chunk: string) => void (text += chunk) }),
  );
  return text.replace(/\n$/, '');
}

/**
 * After a call failed because the plugin went away, its stderr tail once it has exited (at most
 * CALL_FAILURE_EXIT_WAIT_MS later): the socket may close before the last stderr lines are read, so the
 * error's own tail can miss the lines that say why. Undefined for other failures.
 */
async function stderrTailAfterExit(
  client: PluginClient,
  error: unknown,
): Promise<readonly string[] | undefined> {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code !== 'PLUGIN_EXITED' && code !== 'CONNECTION_CLOSED') return undefined;
  if (client.state !== 'exited') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, CALL_FAILURE_EXIT_WAIT_MS);
      timer.unref();
      const subscription = client.onDidExit(done);
      function done(): void {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
    });
  }
  return client.stderrTail();
}

/**
 * Stops the plugin once `--call` is done and returns the exit status: 0 when it exited with code 0, else 1
 * with what happened on `stderr` — it exited with another code when asked to stop, or was killed after the
 * grace, or (after a call that succeeded) had already exited by itself. After a failed call, an exit by
 * itself is left to the call's error.
 */
async function stopAfterCall(
  client: PluginClient,
  stderr: Output,
  stopGraceMs: number,
  { callFailed }: { readonly callFailed: boolean },
): Promise<number> {
  const { status, asked, problem } = await stopPlugin(client, stopGraceMs);
  if (problem !== undefined) {
    stderr.write(`tether: ${problem}\n`);
    return EXIT_FAILURE;
  }
  if (asked || status.code === 0) return EXIT_OK;
  if (!callFailed) {
    stderr.write(
      `tether: ${client.name} ${describeExit(status)} by itself after the call, before it was asked to stop; its output is above and in "tether logs ${client.name}".\n`,
    );
  }
  return EXIT_FAILURE;
}

/**
 * Where a terminal plugin's screen goes: stdout, except for `--call` with stdout redirected (a file, a pipe,
 * `$(…)`), where stdout gets the call's result alone and the screen goes to stderr (the user's terminal, as
 * ssh shows a remote prompt there).
 */
function screenFor(options: RunOptions): { screen: TerminalOutput; result?: TextOutput } {
  if (options.call === undefined || (options.stdout as { isTTY?: boolean }).isTTY === true) {
    return { screen: toTerminalOutput(options.stdout) };
  }
  return { screen: toTerminalOutput(options.stderr), result: options.stdout };
}

/** `terminalSize` for the pty runner: the window's, when `stdout` is a terminal. */
function windowSizeOf(stdout: TerminalOutput): { terminalSize?: TerminalSize } {
  const { columns, rows } = stdout;
  if (stdout.isTTY !== true || columns === undefined || rows === undefined || columns < 1 || rows < 1)
    return {};
  return { terminalSize: { cols: columns, rows } };
}

/**
 * Runs until SIGINT/SIGTERM, then stops the plugin: 0 when it exited with code 0, else 1 with what happened
 * on `stderr`. A plugin that exits by itself meanwhile ends the run with its exit code (1 for a signal), said
 * on `stderr` unless it is 0.
 */
async function runUntilSignal(client: PluginClient, stderr: Output, stopGraceMs: number): Promise<number> {
  let onSignal = (): void => undefined;
  let exitSubscription: Disposable | undefined;
  // The handlers first: whoever reads the line below may signal at once.
  const ending = new Promise<'signal' | ExitStatus>((resolve) => {
    onSignal = () => resolve('signal');
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    exitSubscription = client.onDidExit(resolve);
    // Exited before this subscribed: stop() resolves with its status at once.
    if (client.state === 'exited') void client.stop().then(resolve);
  });
  stderr.write(
    `tether: ${client.name} is running (pid ${client.pid}, services ${client.services.join(', ')}); Ctrl-C stops it.\n`,
  );
  const ended = await ending;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  exitSubscription?.dispose();
  if (ended !== 'signal') {
    if (ended.code !== 0) {
      stderr.write(
        `tether: ${client.name} ${describeExit(ended)} by itself, without being asked to stop; its output is above and in "tether logs ${client.name}".\n`,
      );
    }
    return ended.code ?? EXIT_FAILURE;
  }
  const { problem } = await stopPlugin(client, stopGraceMs);
  if (problem === undefined) return EXIT_OK;
  stderr.write(`tether: ${problem}\n`);
  return EXIT_FAILURE;
}

function toWriter(output: Output): OutputWriter {
  if (typeof (output as Partial<OutputWriter>).once === 'function') return output as OutputWriter;
  return {
    write: (text) => {
      output.write(text);
      return true;
    },
    once: () => undefined,
  };
}

export interface RunCommandInput {
  readonly extensionDir: string;
  readonly call?: CallRequest;
  readonly json: boolean;
  readonly debug: boolean;
}

/** `tether run`: read and validate the manifest, check the host version and the called service, then run. */
export async function runCommand(
  input: RunCommandInput,
  io: { readonly stdout: Output; readonly stderr: Output; readonly stdin?: TerminalInput },
  run: RunExtension = runExtension,
): Promise<number> {
  const dir = path.resolve(input.extensionDir);
  const manifest = await readManifest(dir);
  checkHostCompatibility(manifest, { hostLabel: 'tether CLI' });
  if (input.call !== undefined && !manifest.services.has(input.call.service)) {
    const provided = [...manifest.services.keys()];
    throw new TetherError(
      'SERVICE_NOT_FOUND',
      `Extension "${manifest.name}" provides no service "${input.call.service}"${didYouMean(input.call.service, provided)}; its services are ${provided.map((s) => `"${s}"`).join(', ')} (tether.services in its package.json).`,
    );
  }
  return run(manifest, dir, {
    ...(input.call === undefined ? {} : { call: input.call }),
    json: input.json,
    debug: input.debug,
    stdout: io.stdout,
    stderr: io.stderr,
    ...(io.stdin === undefined ? {} : { stdin: io.stdin }),
  });
}
