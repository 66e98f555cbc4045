// Test-only: reading what a terminal handle shows, and the pty fixture plugin's paths.
import { fileURLToPath } from 'node:url';
import type { TerminalHandle } from '../../terminal/terminal-handle.js';
import { TSX_LOADER } from './fixture-paths.js';

/** The pty fixture plugin (a serve() plugin, see pty-plugin.ts). */

/**
 * How long a test waits for a pty plugin's output: its first line needs the broker and the plugin to start
 * from TypeScript sources (tsx), which took over 15 s once under `npm run test:stress`.
 */
export const TERMINAL_OUTPUT_TIMEOUT_MS = 45_000;

export const PTY_PLUGIN = fileURLToPath(new URL('./pty-plugin.ts', import.meta.url));

/** Node flags that run a TypeScript plugin against the workspace sources. */
export const TS_PLUGIN_NODE_ARGS: readonly string[] = ['--conditions=tether-source', '--import', TSX_LOADER];

/** Everything the terminal shows from now on, backlog first, as text. */
export class TerminalText {
  #text: string;
  readonly #decoder = new TextDecoder();
  readonly #waiters = new Set<() => void>();

  constructor(terminal: TerminalHandle) {
    this.#text = this.#decoder.decode(terminal.backlog(), { stream: true });
    terminal.onDidOutput((chunk) => {
      this.#text += this.#decoder.decode(chunk, { stream: true });
      for (const waiter of this.#waiters) waiter();
    });
  }

  get text(): string {
    return this.#text;
  }

  /** Resolves with the first match of `pattern` in the text (already there, or once it arrives). */
  waitFor(pattern: RegExp, timeoutMs = TERMINAL_OUTPUT_TIMEOUT_MS): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(this.#text);
        if (match === null) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(match);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`The terminal never showed ${pattern}; it shows:\n${this.#text.slice(-2000)}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }
}
