// Quitting the Electron app: Electron's `before-quit` is held back (preventDefault) until every extension
// has stopped — asked first, then SIGTERM, then SIGKILL after its stop grace (the manager's dispose, through
// shutDownHost, as `npm start` and `tether host` stop) — and then the app exits. The windows are hidden at
// once, so quitting feels immediate while the extensions stop behind it.
import { QUIT_DEADLINE_MS } from './constants.js';

export type QuitState = 'running' | 'stopping' | 'stopped';

/** What quitting acts on; in the app: the BrowserWindows, `shutDownHost` and `app.exit`. */
export interface QuitTarget {
  /** Hides every window (they close when the app exits). */
  hideWindows(): void;
  /**
   * Closes what lets clients in (the window's ports, the control socket) and stops every extension;
   * resolves with the exit status (0, or 1 when something failed to stop).
   */
  stop(): Promise<number>;
  /** Ends the process with `status`, without emitting `before-quit` again (`app.exit`). */
  exit(status: number): void;
  /** Says what happens (stderr and the log). */
  say(line: string): void;
}

export interface QuitSequenceOptions {
  /** Exit with status 1 after this long even if `stop()` has not settled (ms). */
  readonly deadlineMs?: number;
}

export class QuitSequence {
  readonly #target: QuitTarget;
  readonly #deadlineMs: number;
  #state: QuitState = 'running';
  #done: Promise<number> | undefined;

  constructor(target: QuitTarget, options: QuitSequenceOptions = {}) {
    this.#target = target;
    this.#deadlineMs = options.deadlineMs ?? QUIT_DEADLINE_MS;
  }

  get state(): QuitState {
    return this.#state;
  }

  /**
   * The `before-quit` handler. The first call holds the quit back and starts the stop; calls during the
   * stop are held back too (Cmd+Q pressed twice, a second SIGTERM); after it, nothing is (the app exits
   * through `exit`, which emits no `before-quit`, so this is only a safeguard).
   */
  readonly onBeforeQuit = (event: { preventDefault(): void }): void => {
    if (this.#state === 'stopped') return;
    event.preventDefault();
    void this.quit();
  };

  /** Starts the sequence (or joins the one under way); resolves with the status `exit` was given. */
  quit(): Promise<number> {
    this.#done ??= this.#run();
    return this.#done;
  }

  async #run(): Promise<number> {
    this.#state = 'stopping';
    const target = this.#target;
    try {
      target.hideWindows();
    } catch {
      // A window already destroyed: nothing to hide.
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        target.say(
          `the extensions did not stop within ${this.#deadlineMs} ms; exiting anyway (they exit with their host).`,
        );
        resolve(1);
      }, this.#deadlineMs);
      timer.unref?.();
    });
    const stopped = target.stop().catch((error: unknown) => {
      target.say(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    });
    const status = await Promise.race([stopped, deadline]);
    clearTimeout(timer);
    this.#state = 'stopped';
    target.exit(status);
    return status;
  }
}
