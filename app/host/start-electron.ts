// `npm start`'s Electron mode: Electron Forge's `start`, which builds the main process, the preload and the
// UI with Vite (forge.config.ts) and starts Electron on them, its output on this terminal. A stop (Ctrl-C,
// SIGTERM, npm going away) is passed on to Forge as SIGTERM; the app then stops its extensions itself
// (app/main/quit-sequence.ts).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { StartMode } from './start-mode.js';

export interface StartElectronOptions {
  /** Forge runs in the repository (it reads forge.config.ts and package.json there). */
  readonly cwd: string;
  /** Stops the app (start.ts: SIGINT, SIGTERM or SIGHUP, or the parent process exiting). */
  readonly signal: AbortSignal;
  readonly say: (line: string) => void;
}

/** Runs `mode` until it exits; resolves with its status (128 + the signal's number after a signal). */
export function startElectron(
  mode: Extract<StartMode, { kind: 'electron' }>,
  options: StartElectronOptions,
): Promise<number> {
  const child = spawn(mode.command, [...mode.args], { cwd: options.cwd, stdio: 'inherit' });
  const stop = (): void => void child.kill('SIGTERM');
  options.signal.addEventListener('abort', stop, { once: true });
  return new Promise((resolve) => {
    child.once('error', (error) => {
      options.say(`could not run Electron Forge: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      options.signal.removeEventListener('abort', stop);
      resolve(code ?? (signal === null ? 1 : 128 + (constants.signals[signal] ?? 0)));
    });
  });
}
