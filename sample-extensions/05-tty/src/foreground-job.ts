// Runs a program in the REPL's terminal the way a shell runs a foreground job: the program gets the
// terminal as is (stdio inherited, the terminal back in its normal "cooked" mode), and Ctrl-C — now a
// SIGINT the terminal sends to the whole foreground process group — stops the job but not the REPL.
import { spawn } from 'node:child_process';
import type { ReadStream } from 'node:tty';

export interface JobExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Signals the terminal sends for keys (Ctrl-C, Ctrl-\): meant for the job, so the REPL ignores them. */
const KEY_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

export interface JobOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Called once the program runs (Ctrl-C reaches it from then on). */
  readonly onSpawn?: () => void;
}

/**
 * Runs `command args` with the terminal, waits for it to end and gives the terminal back to the REPL in
 * raw mode. `stdin` must not be read meanwhile (the line reader pauses it between prompts).
 */
export async function runForegroundJob(
  stdin: ReadStream,
  command: string,
  args: readonly string[],
  options: JobOptions = {},
): Promise<JobExit> {
  const ignore = (): void => {};
  for (const signal of KEY_SIGNALS) process.on(signal, ignore);
  stdin.setRawMode(false);
  try {
    return await new Promise<JobExit>((resolve) => {
      const child = spawn(command, [...args], { stdio: 'inherit', env: options.env ?? process.env });
      if (options.onSpawn !== undefined) child.once('spawn', options.onSpawn);
      child.once('error', (error) => {
        process.stdout.write(`cannot run ${command}: ${error.message}\r\n`);
        resolve({ code: 127, signal: null });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  } finally {
    stdin.setRawMode(true);
    for (const signal of KEY_SIGNALS) process.off(signal, ignore);
  }
}
