import path from 'node:path';
import { inspect } from 'node:util';
import { TetherError } from '@tether/sdk';
import type { PluginClient } from '../client/plugin-client.js';
import { startExtension } from '../client/start-extension.js';
import type { OutputWriter } from '../process/output-mirror.js';
import { checkHostCompatibility } from '../manifest/check-host-compatibility.js';
import { didYouMean } from '../manifest/did-you-mean.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import { readManifest } from '../manifest/parse-manifest.js';
import { defaultLogDir } from '../logging/default-log-dir.js';
import { ElectronLogSink } from '../logging/electron-log-sink.js';
import { LogStore } from '../logging/log-store.js';
import type { TerminalSize } from '../terminal/terminal-handle.js';
import type { CallRequest } from './parse-args.js';
import { runInTerminal } from './run-in-terminal.js';
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
 * the result and stops the extension; without it, runs until SIGINT/SIGTERM. The extension's stdout and
 * stderr are mirrored to `options.stderr`, prefixed with its name.
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
  const { client } = await startExtension(extensionDir, {
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
        ...(call === undefined ? {} : { call: () => callMethod(client, call, options.json) }),
        ...(result === undefined ? {} : { result }),
      });
    }
    if (call === undefined) return await runUntilSignal(client, options);
    options.stdout.write(`${await callMethod(client, call, options.json)}\n`);
    return 0;
  } finally {
    await client.stop();
    await logFile.flush();
    logStore.dispose();
  }
};

/** Calls `service.method(...args)` once; the result as `tether run` prints it (inspect, or JSON). */
async function callMethod(client: PluginClient, call: CallRequest, json: boolean): Promise<string> {
  const { service, method, args } = call;
  const definition = { name: service, methods: new Map([[method, {}]]), events: new Set<string>() };
  const remote = client.dispense(definition) as unknown as Record<
    string,
    (...a: unknown[]) => Promise<unknown>
  >;
  const result = await remote[method]!(...args);
  return json ? toJson(result) : inspect(result, { depth: 8, colors: false });
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

async function runUntilSignal(client: PluginClient, options: RunOptions): Promise<number> {
  options.stderr.write(
    `tether: ${client.name} is running (pid ${client.pid}, services ${client.services.join(', ')}); Ctrl-C stops it.\n`,
  );
  const status = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      client.stop().then(resolve, () => resolve({ code: 1, signal: null }));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    client.onDidExit((exit) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(exit);
    });
  });
  return status.code ?? 1;
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

function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Map) return Object.fromEntries(v as Map<unknown, unknown>) as unknown;
    if (v instanceof Set) return [...(v as Set<unknown>)];
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    return v;
  });
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
