// The Electron utility-process runner: the only runner that needs Electron. It is typed against Electron's
// real types but takes `fork` as a parameter, so this module has no value import of 'electron' and loads in
// plain Node; `utility-runner-main.ts` binds it to Electron's `utilityProcess.fork`.
// Not run on this machine (no Electron binary can be downloaded here); see the issue notes.
import type { UtilityProcess, ForkOptions } from 'electron';
import { ConnectionClosedError, Emitter, TetherError, type Event } from '@tether/sdk';
import { MessagePortTransport, type MessagePortLike, type Transport } from '@tether/sdk/wire';
import { checkEntry } from '../process/entry-check.js';
import { verifyChecksum } from '../process/checksum.js';
import { buildPluginEnv } from '../process/clean-env.js';
import { LineSplitter } from '../process/line-splitter.js';
import { OutputMirror } from '../process/output-mirror.js';
import { StderrTail } from '../process/stderr-tail.js';
import { resolveRunnerOptions, type RunnerOptions } from '../runner/runner-options.js';
import type { ExitStatus, LaunchSpec, LaunchedPlugin, OutputLine, Runner } from '../runner/runner.js';

export type UtilityFork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess;

/**
 * Starts each plugin in an Electron utility process (`serviceName` = the plugin's name, so it shows in
 * Electron's task manager). The connection is the process's own message port: the plugin's `serve()` finds
 * `process.parentPort` and uses a MessagePortTransport; no socket is created.
 */
export class UtilityRunner implements Runner {
  readonly kind = 'utility';
  readonly #fork: UtilityFork;
  readonly #options: ReturnType<typeof resolveRunnerOptions>;

  constructor(fork: UtilityFork, options?: RunnerOptions) {
    this.#fork = fork;
    this.#options = resolveRunnerOptions(options);
  }

  async launch(spec: LaunchSpec, handshakeEnv: Readonly<Record<string, string>>): Promise<LaunchedPlugin> {
    const entry = await checkEntry(spec.entry, { name: spec.name, cwd: spec.cwd, executable: false });
    if (spec.sha256 !== undefined) await verifyChecksum(entry, spec.sha256, spec.name);
    const env = buildPluginEnv({ hostEnv: this.#options.hostEnv, specEnv: spec.env, handshakeEnv });
    const child = this.#fork(entry, [...(spec.args ?? [])], {
      env,
      serviceName: spec.name,
      stdio: 'pipe',
      ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
      ...(spec.nodeArgs === undefined ? {} : { execArgv: [...spec.nodeArgs] }),
    });
    return new UtilityPlugin(spec.name, child, this.#options);
  }
}

class UtilityPlugin implements LaunchedPlugin {
  /** Electron owns the utility process; nothing beyond the process itself is signalled. */
  readonly containment = 'process' as const;
  readonly #child: UtilityProcess;
  readonly #transport: Transport;
  readonly #tail: StderrTail;
  readonly #mirror: OutputMirror | undefined;
  readonly #onDidExit = new Emitter<ExitStatus>();
  readonly #onDidWriteLine = new Emitter<OutputLine>();
  #exitStatus: ExitStatus | undefined;
  readonly #exited: Promise<void>;
  readonly #name: string;

  constructor(name: string, child: UtilityProcess, options: ReturnType<typeof resolveRunnerOptions>) {
    this.#name = name;
    this.#child = child;
    this.#tail = new StderrTail(options.stderrTailLines);
    this.#mirror =
      options.output === null ? undefined : new OutputMirror(name, options.output, options.mirrorBufferChars);
    // The utility process is its own port. Only 'message' is forwarded: the transport also asks ports for
    // 'close' / 'messageerror', which a UtilityProcess does not have (its end is the 'exit' below).
    const port: MessagePortLike = {
      postMessage: (message: unknown) => child.postMessage(message),
      on: (event: string, listener: (message: unknown) => void) => {
        if (event === 'message') child.on('message', listener);
      },
      removeListener: (event: string, listener: (message: unknown) => void) => {
        if (event === 'message') child.off('message', listener);
      },
    };
    this.#transport = new MessagePortTransport(port);
    for (const stream of ['stdout', 'stderr'] as const) {
      const splitter = new LineSplitter(options.maxLineBytes, (line, truncated) => {
        if (stream === 'stderr') this.#tail.push(line);
        this.#mirror?.writeLine(stream, line);
        this.#onDidWriteLine.fire({ stream, line, truncated });
      });
      child[stream]?.on('data', (chunk: Buffer) => splitter.push(chunk));
      child[stream]?.on('end', () => splitter.end());
    }
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code: number) => {
        this.#exitStatus = { code, signal: null };
        this.#transport.dispose();
        this.#onDidExit.fire(this.#exitStatus);
        resolve();
      });
    });
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  get onDidExit(): Event<ExitStatus> {
    return this.#onDidExit.event;
  }

  get onDidWriteLine(): Event<OutputLine> {
    return this.#onDidWriteLine.event;
  }

  get exitStatus(): ExitStatus | undefined {
    return this.#exitStatus;
  }

  connection(): Promise<Transport> {
    if (this.#exitStatus !== undefined) {
      return Promise.reject(new ConnectionClosedError(`Plugin "${this.#name}" has already exited.`));
    }
    return Promise.resolve(this.#transport);
  }

  /** The MessagePort is the plugin's alone: a connection that failed to authenticate has no successor. */
  nextConnection(): Promise<Transport> {
    return Promise.reject(
      new TetherError(
        'AUTH_FAILED',
        `Plugin "${this.#name}" failed to authenticate on its private MessagePort; no other connection can come.`,
      ),
    );
  }

  acceptConnection(): void {}

  stderrTail(): string[] {
    return this.#tail.lines();
  }

  signal(signal: NodeJS.Signals): void {
    if (this.#exitStatus !== undefined || this.#child.pid === undefined) return;
    if (signal === 'SIGKILL') process.kill(this.#child.pid, 'SIGKILL');
    else this.#child.kill();
  }

  async terminate(graceMs: number): Promise<void> {
    if (this.#exitStatus !== undefined) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs).unref();
    await this.#exited;
    clearTimeout(timer);
  }

  dispose(): void {
    this.signal('SIGKILL');
    this.#mirror?.dispose();
    this.#transport.dispose();
  }
}
