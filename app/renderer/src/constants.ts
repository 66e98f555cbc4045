// The UI's limits and defaults, each named once (house style 6). Figures are per browser tab.

/** First wait before reconnecting after the host went away (ms); doubled per failed attempt. */
export const RECONNECT_INITIAL_DELAY_MS = 250;

/** Longest wait between reconnection attempts (ms). */
export const RECONNECT_MAX_DELAY_MS = 4_000;

/**
 * Log records the Logs panel holds (a ring: the oldest go first). Bounds its memory under any tail rate
 * (~0.5 KiB a record: about 50 MiB at the cap) while 100 000 records still filter in tens of milliseconds.
 */
export const LOG_BUFFER_CAP = 100_000;

/** Records of history fetched per `queryLogs` page (the host's `MAX_LOG_QUERY_LIMIT` is 10 000). */
export const LOG_HISTORY_PAGE = 10_000;

/** Records of history loaded when the Logs panel opens (more on "Load older"). */
export const LOG_HISTORY_INITIAL = 5_000;

/** Records of an extension marked as its "last records" when it crashes. */
export const CRASH_TAIL_RECORDS = 20;

/** Traced RPC calls the inspector holds (a ring). */
export const TRACE_BUFFER_CAP = 20_000;

/** The span the RPC inspector's timeline shows at first (ms). */
export const TRACE_TIMELINE_MS = 30_000;

/** Commands shown at once in the palette. */
export const PALETTE_MAX_RESULTS = 50;

/** The DevTools panel's title: its tab next to Console and Network (src/devtools/devtools-page.ts). */
export const DEVTOOLS_PANEL_TITLE = 'Tether';

/** The DevTools panel's page, relative to the extension's root (an input of vite.config.ts). */
export const DEVTOOLS_PANEL_PAGE = 'panel.html';

/**
 * How long the Electron app's page waits for the main process to hand it a MessagePort after asking (ms);
 * then the attempt fails and the connection tries again with backoff.
 */
export const PORT_HANDOFF_TIMEOUT_MS = 5_000;
