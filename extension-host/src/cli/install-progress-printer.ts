import { formatProgress } from '../install/format-progress.js';
import type { InstallProgress } from '../install/extension-installer.js';
import type { Output } from './run-command.js';

/** The step lines of `tether install` (the `download` line is formatProgress's; `done` is the command's). */
const stepLines: Readonly<Record<'verify' | 'extract' | 'activate' | 'trial-start', string>> = {
  verify: 'verifying the signature…',
  extract: 'unpacking…',
  activate: 'putting it in place…',
  'trial-start': 'starting it once to try it…',
};

/** Every how many percent a download prints a line when stderr is not a terminal. */
const PIPED_DOWNLOAD_STEP_PERCENT = 10;

/**
 * Prints an install's progress on stderr: one line per step, and for a download one line updated in place
 * (`\r`) on a terminal, or a line every 10 % otherwise (a log or a CI job gets a few lines, not thousands).
 * Without a known size, a piped download prints each time the byte count has doubled.
 */
export class InstallProgressPrinter {
  readonly #out: Output;
  readonly #tty: boolean;
  /** A download line is on the terminal without its newline yet. */
  #open = false;
  #lastStep = -1;
  #lastBytes = 0;

  constructor(stderr: Output) {
    this.#out = stderr;
    this.#tty = (stderr as { isTTY?: boolean }).isTTY === true;
  }

  print(progress: InstallProgress): void {
    if (progress.phase === 'done') return;
    if (progress.phase !== 'download') {
      this.end();
      this.#out.write(`${stepLines[progress.phase]}\n`);
      return;
    }
    const line = `downloading: ${formatProgress(progress)}`;
    if (this.#tty) {
      // Back to the line's start, the new text, then clear what a longer previous text left.
      this.#out.write(`\r${line}\x1b[K`);
      this.#open = true;
      return;
    }
    if (progress.total !== undefined && progress.total > 0) {
      const step = Math.floor((progress.bytes / progress.total) * (100 / PIPED_DOWNLOAD_STEP_PERCENT));
      if (step <= this.#lastStep) return;
      this.#lastStep = step;
    } else {
      if (this.#lastBytes > 0 && progress.bytes < this.#lastBytes * 2) return;
      this.#lastBytes = Math.max(progress.bytes, 1);
    }
    this.#out.write(`${line}\n`);
  }

  /** Ends a download line left open on the terminal (before the next line, an error or the result). */
  end(): void {
    if (!this.#open) return;
    this.#out.write('\n');
    this.#open = false;
  }
}
