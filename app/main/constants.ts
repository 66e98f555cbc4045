// The Electron main process's limits and defaults, each named once (house style 6).

/**
 * How long quitting waits for the extensions to stop (each is asked, then SIGTERM, then SIGKILL after its
 * stop grace, all at once) before the app exits anyway. Generous: a stop is bounded by the grace already,
 * and an extension the app leaves behind still exits with its host (the host-death watchdog).
 */
export const QUIT_DEADLINE_MS = 15_000;

/** The main window's first size, and the smallest it may be made (px). */
export const MAIN_WINDOW_SIZE = { width: 1280, height: 820 } as const;
export const MAIN_WINDOW_MIN_SIZE = { width: 720, height: 480 } as const;

/** The name the main process's lines start with, and its manager's app name (that of `tether host`). */
export const MAIN_NAME = 'tether app (electron)';
export const APP_NAME = 'tether';
