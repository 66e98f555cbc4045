// The REPL the plugin runs in its terminal. Every command shows something only a real TTY does: raw mode
// without echo (login), the window size and SIGWINCH (size), colours (color), a shell and a foreground job
// in the same terminal (shell, sleep), and what happens to the host when the plugin dies (crash).
import type { ReadStream, WriteStream } from 'node:tty';
import type { SessionInfo } from './contract.js';
import { runForegroundJob, type JobExit, type JobOptions } from './foreground-job.js';
import { LineReader } from './line-reader.js';

const PROMPT = 'tty> ';
const HELP = [
  'help      this list',
  'login     a user name, then a password that is never shown',
  'size      the window size (resize the window: the REPL notices)',
  'color     ANSI colours',
  'shell     an interactive shell in this terminal; exit or Ctrl-D comes back here',
  'sleep [s] a foreground job (default 30 s); Ctrl-C stops it, not the REPL',
  'crash     throws: the plugin dies, tether run exits 1 and gives your terminal back',
  'exit      ends the REPL (Ctrl-D at the prompt too)',
];

export class Repl {
  readonly #stdin: ReadStream;
  readonly #stdout: WriteStream;
  readonly #reader: LineReader;
  #lastCommand: string | null = null;
  #commands = 0;
  /** A job (shell, sleep) has the terminal: the REPL keeps quiet. */
  #jobRunning = false;

  constructor(stdin: ReadStream, stdout: WriteStream) {
    this.#stdin = stdin;
    this.#stdout = stdout;
    this.#reader = new LineReader(stdin, stdout);
    // SIGWINCH: Node updates columns/rows and emits 'resize'.
    stdout.on('resize', () => {
      if (!this.#jobRunning) this.#reader.interject(`resized to ${this.#size()}`);
    });
  }

  info(): SessionInfo {
    return {
      isTTY: this.#stdin.isTTY && this.#stdout.isTTY,
      columns: this.#stdout.columns,
      rows: this.#stdout.rows,
      rawMode: this.#stdin.isRaw,
      lastCommand: this.#lastCommand,
      commands: this.#commands,
    };
  }

  /** Reads and runs commands until `exit` or Ctrl-D. */
  async run(): Promise<void> {
    this.#print(
      `05-tty: a REPL that needs a real terminal (pid ${process.pid}, ${this.#size()}). Type help.`,
    );
    for (;;) {
      const read = await this.#reader.readLine(PROMPT);
      if (read.kind === 'end') return;
      if (read.kind === 'interrupt') continue;
      const [command = '', ...args] = read.text.trim().split(/\s+/);
      if (command === '') continue;
      this.#lastCommand = read.text.trim();
      this.#commands += 1;
      if (command === 'exit') return;
      await this.#execute(command, args);
    }
  }

  async #execute(command: string, args: readonly string[]): Promise<void> {
    switch (command) {
      case 'help':
        for (const line of HELP) this.#print(`  ${line}`);
        return;
      case 'login':
        return this.#login();
      case 'size':
        this.#print(`size ${this.#size()}`);
        return;
      case 'color':
        return this.#color();
      case 'shell':
        return this.#shell();
      case 'sleep':
        return this.#sleep(args[0]);
      case 'crash':
        // Thrown outside any promise chain: an uncaught exception, as a real bug would be.
        setImmediate(() => {
          throw new Error('crash: the REPL was told to crash');
        });
        // Wait for the end (the SDK logs the error and exits 1).
        await new Promise(() => {});
        return;
      default:
        this.#print(`unknown command "${command}"; type help`);
    }
  }

  async #login(): Promise<void> {
    const user = await this.#reader.readLine('user: ');
    if (user.kind !== 'line') return this.#print('login cancelled');
    // Raw mode and no echo: the terminal shows nothing of what is typed, not even asterisks.
    const password = await this.#reader.readLine('password: ', { echo: false });
    if (password.kind !== 'line') return this.#print('login cancelled');
    this.#print(
      `logged in as ${user.text || '(nobody)'}; the password had ${[...password.text].length} characters, none shown`,
    );
  }

  #color(): void {
    const names = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
    this.#print(names.map((name, i) => `\x1b[3${i}m${name}\x1b[0m`).join(' '));
    this.#print(names.map((name, i) => `\x1b[1;9${i}m${name}\x1b[0m`).join(' '));
    let ramp = '';
    for (let i = 0; i < 32; i++) ramp += `\x1b[48;2;${i * 8};${96};${255 - i * 8}m \x1b[0m`;
    this.#print(ramp);
    this.#print(
      `colour depth ${this.#stdout.getColorDepth()} bits (TERM=${process.env['TERM'] ?? ''}, COLORTERM=${process.env['COLORTERM'] ?? ''})`,
    );
  }

  async #shell(): Promise<void> {
    const shell = process.env['SHELL'] ?? '/bin/sh';
    this.#print(`${shell} -i; type exit or Ctrl-D to come back`);
    const exit = await this.#job(shell, ['-i'], { env: { ...process.env, PS1: 'shell$ ' } });
    this.#print(`back in the REPL (the shell ${describe(exit)})`);
  }

  async #sleep(seconds = '30'): Promise<void> {
    if (!/^\d+(\.\d+)?$/.test(seconds))
      return this.#print(`sleep needs seconds, like sleep 5; got "${seconds}"`);
    // Said once sleep runs: a Ctrl-C typed earlier would reach only the REPL, which ignores it.
    const exit = await this.#job('sleep', [seconds], {
      onSpawn: () => this.#print(`sleeping ${seconds} s; Ctrl-C stops it`),
    });
    // After Ctrl-C the terminal echoed "^C" without a newline.
    this.#print(
      exit.signal === 'SIGINT' ? '\r\nsleep interrupted; the REPL carries on' : `sleep ${describe(exit)}`,
    );
  }

  async #job(command: string, args: readonly string[], options: JobOptions = {}): Promise<JobExit> {
    this.#jobRunning = true;
    try {
      return await runForegroundJob(this.#stdin, command, args, options);
    } finally {
      this.#jobRunning = false;
    }
  }

  #size(): string {
    return `${this.#stdout.columns}x${this.#stdout.rows}`;
  }

  #print(line: string): void {
    this.#stdout.write(`${line}\r\n`);
  }
}

function describe(exit: JobExit): string {
  return exit.signal === null ? `exited with code ${exit.code}` : `was stopped by ${exit.signal}`;
}
