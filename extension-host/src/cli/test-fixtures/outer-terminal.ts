// Test-only: the user's terminal. Runs a command inside a pseudo-terminal (node-pty) and lets a test use it
// as a person would: type, read the screen, resize the window, wait for the program to end.
import { spawn, type IPty } from 'node-pty';

/**
 * Generous: the first screen of a pty extension needs three Node processes each compiling TypeScript with
 * tsx (the CLI, the pty broker, the plugin). A quiet 2-core machine does it in a few seconds; under
 * `npm run test:stress` it once took over 30 s. Below the tests' own 90 s timeout.
 */
export const SCREEN_TIMEOUT_MS = 60_000;

export interface OuterTerminalOptions {
  readonly cols?: number;
  readonly rows?: number;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface OuterExit {
  readonly exitCode: number;
  readonly signal: number;
}

export class OuterTerminal {
  readonly #pty: IPty;
  #screen = '';
  #exit: OuterExit | undefined;
  readonly #waiters = new Set<() => void>();
  /** Resolves when the program in the terminal has ended. */
  readonly exited: Promise<OuterExit>;

  constructor(file: string, args: readonly string[], options: OuterTerminalOptions = {}) {
    this.#pty = spawn(file, [...args], {
      // node-pty sets TERM to `name`: a TERM the test asks for must be the name.
      name: options.env?.['TERM'] ?? 'xterm-256color',
      cols: options.cols ?? 80,
      rows: options.rows ?? 24,
      cwd: options.cwd ?? process.cwd(),
      env: definedOnly({ ...process.env, ...options.env }),
    });
    this.#pty.onData((data) => {
      this.#screen += data;
      for (const wake of [...this.#waiters]) wake();
    });
    this.exited = new Promise((resolve) => {
      this.#pty.onExit(({ exitCode, signal }) => {
        this.#exit = { exitCode, signal: signal ?? 0 };
        for (const wake of [...this.#waiters]) wake();
        resolve(this.#exit);
      });
    });
  }

  get pid(): number {
    return this.#pty.pid;
  }

  /** Everything the program wrote so far, escape sequences included. */
  get screen(): string {
    return this.#screen;
  }

  /** The current end of the screen, to wait for text written after this point. */
  mark(): number {
    return this.#screen.length;
  }

  /**
   * Waits until the screen after `from` contains `pattern`; resolves with the match. Fails after `timeoutMs`
   * (or when the program ends first) with the screen in the message, which is what one needs to debug it.
   */
  async waitFor(pattern: string | RegExp, from = 0, timeoutMs = SCREEN_TIMEOUT_MS): Promise<string> {
    const find = (): string | undefined => {
      const text = this.#screen.slice(from);
      if (typeof pattern === 'string') return text.includes(pattern) ? pattern : undefined;
      return pattern.exec(text)?.[0];
    };
    return new Promise<string>((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (this.#exit !== undefined) {
          done();
          reject(
            new Error(
              `the program ended (${JSON.stringify(this.#exit)}) before showing ${String(pattern)}; screen:\n${this.#screen}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`${String(pattern)} did not appear within ${timeoutMs} ms; screen:\n${this.#screen}`),
        );
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Types `text` (`\r` is Enter, `\x03` is Ctrl-C). */
  type(text: string): void {
    this.#pty.write(text);
  }

  /** Resizes the window: the program in the foreground gets SIGWINCH. */
  resize(cols: number, rows: number): void {
    this.#pty.resize(cols, rows);
  }

  /** Waits for the program's end, failing after `timeoutMs`. */
  async waitForExit(timeoutMs = SCREEN_TIMEOUT_MS): Promise<OuterExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the program did not end within ${timeoutMs} ms; screen:\n${this.#screen}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the program if it still runs (the test is over, whatever happened). */
  dispose(): void {
    if (this.#exit === undefined) this.#pty.kill('SIGKILL');
  }
}

/** The variables that have a value: `undefined` removes one (node-pty would pass the text "undefined"). */
function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
