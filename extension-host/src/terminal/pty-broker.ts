import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { PTY_BROKER_START_TIMEOUT_MS } from '../constants.js';
import { hostNode, type NodeCommand } from '../process/node-command.js';
import { typeScriptNodeArgs } from '../process/typescript-node-args.js';
import { nodePtyUnavailable } from './load-node-pty.js';
import {
  FrameType,
  MAX_FRAME_BYTES,
  decodeMessage,
  encodeFrame,
  encodeJsonFrame,
  type BrokerConfig,
  type BrokerMessage,
} from './pty-broker-protocol.js';
import type { PtyProcess } from './pty-process.js';

/**
 * How long, after the exit while the host is not reading (paused), the exit waits for the rest of the
 * output before it is reported without it: node-pty's own wait for a pty to close.
 */
const PAUSED_EXIT_WAIT_MS = 200;
/** Lines of the broker's own stderr (not control messages) kept for error messages. */
const DIAGNOSTIC_LINES = 20;

type BrokerChild = ChildProcessByStdio<Writable, Readable, Readable>;
type ExitEvent = { exitCode: number; signal: number };

/**
 * The broker script and the Node flags it needs: run from source (this file is `.ts`: development and
 * tests) it goes through tsx, as TypeScript plugin entries do; built, it is the `.js` next to this file.
 */
export interface BrokerCommand {
  readonly script: string;
  readonly nodeArgs: readonly string[];
}

function brokerCommand(node: NodeCommand): BrokerCommand {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(
    new URL(fromSource ? './pty-broker-main.ts' : './pty-broker-main.js', import.meta.url),
  );
  return {
    // A Node that is not the app's own Electron cannot read app.asar: it runs the unpacked copy (forge.config.ts).
    script: node.path === process.execPath ? script : outsideAsar(script),
    nodeArgs: fromSource ? typeScriptNodeArgs() : [],
  };
}

/** `file` in Electron's `app.asar.unpacked` folder when it is inside `app.asar`, else `file`. */
export function outsideAsar(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/**
 * A program in a pseudo-terminal owned by a broker process (`pty-broker-main.ts`), so that the terminal's
 * master fd never enters the host: node-pty 1.1.0 does not make it close-on-exec, and a master held by the
 * host would be inherited by every process the host starts afterwards (other plugins included), giving them
 * the plugin's terminal — what the user types into it too.
 *
 * The program (the plugin) is the broker's child, not the host's, but it is still a session leader leading
 * its own process group, which the host signals directly by its pid; the broker is in a session of its own
 * (so a Ctrl-C or hang-up aimed at the host's job does not cut the relay), not in that group. The exit is
 * reported after the last output, as node-pty reports it.
 */
export class BrokeredPty implements PtyProcess {
  readonly pid: number;
  readonly #child: BrokerChild;
  readonly #onData: ((chunk: Buffer) => void)[] = [];
  readonly #onExit: ((event: ExitEvent) => void)[] = [];
  #exit: ExitEvent | undefined;
  #outputEnded = false;
  #reported = false;
  #paused = false;
  #pausedExitTimer: NodeJS.Timeout | undefined;

  /**
   * Starts a broker and, in it, `config`'s program in a new pty. Rejects with `PTY_UNAVAILABLE` when
   * node-pty cannot be loaded, with a plain error when the program cannot be started or the broker does
   * not report it within `timeoutMs` (the broker is killed then). `node` runs the broker (default: the
   * host's own, {@link hostNode}); `broker` replaces the broker script (tests).
   */
  static start(
    config: BrokerConfig,
    options: {
      readonly timeoutMs?: number;
      readonly node?: NodeCommand;
      readonly broker?: BrokerCommand;
    } = {},
  ): Promise<BrokeredPty> {
    const node = options.node ?? hostNode();
    const { script, nodeArgs } = options.broker ?? brokerCommand(node);
    const timeoutMs = options.timeoutMs ?? PTY_BROKER_START_TIMEOUT_MS;
    const child = spawn(node.path, [...nodeArgs, script], {
      // Only stdio: any other descriptor of the broker would be inherited by the plugin (see the protocol).
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, ...node.env },
      windowsHide: true,
    });
    // Failures show up as the broker's exit; a write to a gone broker must not crash the host.
    child.stdin.on('error', () => {});
    child.stdout.on('error', () => {});
    child.stderr.on('error', () => {});
    child.stdin.write(encodeJsonFrame(FrameType.config, config));
    return new Promise((resolve, reject) => {
      const diagnostics: string[] = [];
      let pty: BrokeredPty | undefined;
      let failed = false;
      const deadline = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`its pty broker did not start it within ${timeoutMs} ms and was killed`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(deadline);
        if (pty !== undefined || failed) return;
        failed = true;
        child.stdin.end();
        reject(error);
      };
      const onMessage = (message: BrokerMessage) => {
        if (message.type === 'spawned' && pty === undefined && !failed) {
          clearTimeout(deadline);
          pty = new BrokeredPty(child, message.pid);
          resolve(pty);
        } else if (message.type === 'error') {
          fail(
            message.stage === 'load'
              ? nodePtyUnavailable(new Error(message.message))
              : new Error(message.message),
          );
        } else if (message.type === 'exit') {
          if (pty !== undefined) pty.#exited({ exitCode: message.exitCode, signal: message.signal });
        }
      };
      let partial = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const message = decodeMessage(line);
          if (message !== undefined) onMessage(message);
          else if (line.trim() !== '') {
            diagnostics.push(line);
            if (diagnostics.length > DIAGNOSTIC_LINES) diagnostics.shift();
          }
        }
      });
      const brokerGone = (code: number | null, signal: NodeJS.Signals | null) => {
        fail(
          new Error(
            `its pty broker ${signal === null ? `exited with code ${code}` : `was killed by ${signal}`} ` +
              `before starting it${diagnostics.length === 0 ? '' : `:\n${diagnostics.join('\n')}`}`,
          ),
        );
        // Gone without reporting the plugin's exit (killed, crashed): the plugin lost its terminal reader;
        // report it killed, and its owner SIGKILLs what is left of its group.
        if (pty !== undefined) pty.#exited({ exitCode: 0, signal: constants.signals.SIGKILL });
      };
      child.on('error', (error) => fail(error));
      // After stderr has ended, so a last control message was seen first.
      child.on('exit', (code, signal) => {
        if (child.stderr.readableEnded) brokerGone(code, signal);
        else child.stderr.once('end', () => brokerGone(code, signal));
      });
    });
  }

  private constructor(child: BrokerChild, pid: number) {
    this.#child = child;
    this.pid = pid;
    child.stdout.on('end', () => {
      this.#outputEnded = true;
      this.#settle();
    });
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.#onData.push(listener);
    // The output is read from the first listener on (until then it waits in the pipe).
    if (this.#onData.length === 1) {
      this.#child.stdout.on('data', (chunk: Buffer) => {
        for (const each of this.#onData) each(chunk);
      });
      if (this.#paused) this.#child.stdout.pause();
    }
  }

  onExit(listener: (event: ExitEvent) => void): void {
    this.#onExit.push(listener);
  }

  write(bytes: Buffer): void {
    if (this.#exit !== undefined) return;
    for (let offset = 0; offset < bytes.length; offset += MAX_FRAME_BYTES) {
      this.#child.stdin.write(encodeFrame(FrameType.input, bytes.subarray(offset, offset + MAX_FRAME_BYTES)));
    }
  }

  resize(cols: number, rows: number): void {
    if (this.#exit !== undefined) return;
    this.#child.stdin.write(encodeJsonFrame(FrameType.resize, { cols, rows }));
  }

  pause(): void {
    this.#paused = true;
    this.#child.stdout.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#child.stdout.resume();
  }

  #exited(event: ExitEvent): void {
    if (this.#exit !== undefined) return;
    this.#exit = event;
    this.#settle();
    // Not reading: the rest of the output cannot arrive until the viewer resumes. Like node-pty, wait a
    // little, then report the exit without it rather than leave the plugin's owner waiting.
    if (!this.#reported && this.#paused) {
      this.#pausedExitTimer = setTimeout(() => this.#report(), PAUSED_EXIT_WAIT_MS);
    }
  }

  #settle(): void {
    if (this.#exit !== undefined && this.#outputEnded) this.#report();
  }

  #report(): void {
    const exit = this.#exit;
    if (this.#reported || exit === undefined) return;
    this.#reported = true;
    clearTimeout(this.#pausedExitTimer);
    // The broker exits once its output is read; output nobody will read is dropped, which ends it too.
    this.#child.stdin.end();
    if (!this.#outputEnded) this.#child.stdout.destroy();
    for (const listener of this.#onExit) listener(exit);
    this.#onExit.length = 0;
  }
}
