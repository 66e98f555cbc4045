import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Emitter, TetherError, type Event } from '@tether/sdk';
import { EXIT_OUTPUT_DRAIN_MS, PLUGIN_SOCKET_ENV } from '../constants.js';
import { verifyChecksum } from '../process/checksum.js';
import { buildPluginEnv } from '../process/clean-env.js';
import { containPlugin } from '../process/containment.js';
import { checkEntry } from '../process/entry-check.js';
import { LineSplitter } from '../process/line-splitter.js';
import { OutputMirror } from '../process/output-mirror.js';
import { ProcessGroup, type ExitStatus } from '../process/process-group.js';
import { createSocketDir, type SocketDir } from '../process/socket-dir.js';
import { ProcessPlugin } from './process-plugin.js';
import type { LaunchSpec, LaunchedPlugin, OutputLine } from './runner.js';
import type { ResolvedRunnerOptions } from './runner-options.js';

/** How a concrete runner turns a checked entry into a command line. */
export interface SpawnCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Variables the runner itself needs (e.g. ELECTRON_RUN_AS_NODE); below the handshake variables. */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/** The steps shared by the process runners: check, verify, listen, spawn. Nothing is spawned on failure. */
export async function launchProcess(
  spec: LaunchSpec,
  handshakeEnv: Readonly<Record<string, string>>,
  options: ResolvedRunnerOptions,
  executable: boolean,
  toCommand: (entryPath: string) => SpawnCommand,
): Promise<LaunchedPlugin> {
  const entryPath = await checkEntry(spec.entry, { name: spec.name, cwd: spec.cwd, executable });
  if (spec.sha256 !== undefined) await verifyChecksum(entryPath, spec.sha256, spec.name);
  const { command, args, env: runnerEnv } = toCommand(entryPath);
  const socket = await createSocketDir({ parent: options.socketDirParent });
  const env = buildPluginEnv({
    hostEnv: options.hostEnv,
    specEnv: { ...spec.env, ...runnerEnv },
    handshakeEnv: { ...handshakeEnv, [PLUGIN_SOCKET_ENV]: socket.socketPath },
  });
  const useGroup = process.platform !== 'win32';
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: spec.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: useGroup,
      windowsHide: true,
    });
  } catch (error) {
    socket.dispose();
    throw spawnError(spec, command, error);
  }
  if (child.pid === undefined) {
    // spawn reports ENOENT/EACCES asynchronously, with no pid.
    const error = await new Promise<unknown>((resolve) => child.once('error', resolve));
    socket.dispose();
    throw spawnError(spec, command, error);
  }
  // At once, before the plugin can have started anything: its cgroup (where the host may create one) and
  // the watchdog.
  const group = new ProcessGroup(
    child.pid,
    useGroup,
    containPlugin(child.pid, useGroup, options.containment),
  );
  return new SpawnedPlugin(spec.name, child, group, socket, options);
}

function spawnError(spec: LaunchSpec, command: string, error: unknown): TetherError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES') {
    return new TetherError(
      'ENTRY_NOT_EXECUTABLE',
      `Cannot start plugin "${spec.name}": ${command} could not be executed (EACCES). Make it executable, ` +
        'and check that its file system is not mounted noexec.',
      { cause: error },
    );
  }
  return new TetherError(
    'ENTRY_NOT_FOUND',
    `Cannot start plugin "${spec.name}": ${command} could not be started (${code ?? String(error)}). ` +
      (spec.cwd === undefined ? '' : `Check that its working directory ${spec.cwd} exists. `) +
      "If it is a script, check that the interpreter named on its #! line exists; check the `tether.entry` field of the extension's package.json.",
    { cause: error },
  );
}

/** A plugin process started with `spawn`: stdout and stderr are read line by line (tail, mirror, events). */
class SpawnedPlugin extends ProcessPlugin {
  readonly #child: ChildProcess;
  readonly #mirror: OutputMirror | undefined;
  readonly #onDidWriteLine = new Emitter<OutputLine>();
  readonly onDidWriteLine: Event<OutputLine> = this.#onDidWriteLine.event;

  constructor(
    name: string,
    child: ChildProcess,
    group: ProcessGroup,
    socket: SocketDir,
    options: ResolvedRunnerOptions,
  ) {
    super(name, group, socket, options.stderrTailLines, {
      none: 'It wrote nothing to stderr.',
      lastLines: 'Its last stderr lines',
      advice: 'Fix the error it reports, or run its entry by hand to see why it stops.',
    });
    this.#child = child;
    this.#mirror =
      options.output === null ? undefined : new OutputMirror(name, options.output, options.mirrorBufferChars);

    const stdoutEnded = this.#read('stdout', child.stdout!, options.maxLineBytes);
    const stderrEnded = this.#read('stderr', child.stderr!, options.maxLineBytes);
    // After spawn, 'error' means a failed kill; the group handling already tolerates a gone process.
    child.on('error', () => {});
    child.once('exit', (code, signal) => {
      this.group.markExited();
      const status: ExitStatus = { code, signal };
      const outputDrained = Promise.all([stdoutEnded, stderrEnded]);
      let timer: NodeJS.Timeout | undefined;
      const drainOver = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, EXIT_OUTPUT_DRAIN_MS);
        timer.unref();
      });
      void Promise.race([outputDrained, drainOver]).then(() => {
        clearTimeout(timer);
        // Output still arriving after the drain period comes from an escaped descendant holding the pipes.
        this.#child.stdout?.destroy();
        this.#child.stderr?.destroy();
        this.finishExit(status);
      });
    });
  }

  protected override disposed(): void {
    this.#mirror?.dispose();
    this.#onDidWriteLine.dispose();
  }

  /** Reads one pipe to its end, line by line; never pauses it. Resolves when it has ended. */
  #read(stream: OutputLine['stream'], readable: Readable, maxLineBytes: number): Promise<void> {
    const splitter = new LineSplitter(maxLineBytes, (line, truncated) => {
      if (stream === 'stderr') this.tail.push(line);
      this.#mirror?.writeLine(stream, line);
      this.#onDidWriteLine.fire({ stream, line, truncated });
    });
    readable.on('data', (chunk: Buffer) => splitter.push(chunk));
    return new Promise((resolve) => {
      const done = (): void => {
        splitter.end();
        resolve();
      };
      readable.once('end', done);
      readable.once('close', done);
      readable.once('error', done);
    });
  }
}
