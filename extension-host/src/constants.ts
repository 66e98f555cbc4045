/**
 * Limits and defaults of the extension host, in one place. Each is overridable through a validated options
 * object (see `runner/runner-options.ts`); these are the values used when none is given.
 */

/** How long a plugin may take from spawn to completing the handshake before the start fails (ms). */
export const DEFAULT_START_TIMEOUT_MS = 10_000;

/**
 * Start timeout of an extension whose entry is TypeScript, run from source through tsx (development,
 * `tether run` in a checkout), ms: tsx compiles the entry and the workspace sources at start, which takes
 * seconds on a loaded machine (over 10 s was seen on a 2-core machine under load).
 */
export const SOURCE_START_TIMEOUT_MS = 30_000;

/**
 * Grace between asking a plugin to stop (STOP message, then SIGTERM to its process group) and SIGKILL (ms).
 * go-plugin hard-codes 2 s; ours is the default of a per-plugin option.
 */
export const DEFAULT_STOP_GRACE_MS = 2_000;

/**
 * Longest stdout/stderr line the host keeps in one piece (bytes of UTF-8). A longer line is delivered in
 * pieces of at most this size, each but the last marked `truncated: true`; memory per stream stays bounded
 * whatever the plugin writes.
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** How many of a plugin's last stderr lines are kept for crash reports and PLUGIN_EXITED messages. */
export const DEFAULT_STDERR_TAIL_LINES = 50;

/**
 * Most characters of output lines the mirror holds while the host's writer is not accepting more (its `write`
 * returned false and it has not drained). Beyond that, lines are dropped and counted, never waited for: the
 * plugin's pipes are read at full speed whatever the writer does (go-plugin #147).
 */
export const DEFAULT_MIRROR_BUFFER_CHARS = 1024 * 1024;

/**
 * After a plugin's process has exited, how long the host keeps reading its stdout/stderr pipes for output
 * still in flight before it reports the exit (ms). The pipes normally close at once; a process that escaped
 * the plugin's process group and kept them open would otherwise delay the exit event forever.
 */
export const EXIT_OUTPUT_DRAIN_MS = 500;

/**
 * Longest Unix socket path, in bytes, that every supported OS accepts (`sun_path` is 108 bytes on Linux and
 * 104 on macOS, including the terminating NUL).
 */
export const MAX_UNIX_SOCKET_PATH_BYTES = 103;

/** Prefix of the private per-plugin directory created in the OS temp dir to hold the plugin's socket. */
export const SOCKET_DIR_PREFIX = 'tether-';

/** Name of the socket file inside the per-plugin directory. */
export const SOCKET_FILE_NAME = 'plugin.sock';

/** Environment variable that carries the socket path to the plugin (protocol.md section 5.1); the sdk's name. */
export { SOCKET_ENV as PLUGIN_SOCKET_ENV } from '@tether/sdk/wire';

/**
 * Most connections to a plugin's socket refused for lacking the per-launch secret before the launch is
 * given up with AUTH_FAILED (something keeps connecting to it; the plugin is killed).
 */
export const MAX_REFUSED_CONNECTIONS = 8;

/** Bytes of randomness in a plugin's per-launch secret (`TETHER_PLUGIN_SECRET`, base64url). */
export const PLUGIN_SECRET_BYTES = 32;

/**
 * How long a plugin whose connection closed without a protocol violation may take to exit by itself
 * before the host treats it as failed and kills its process group (ms): a plugin that closes its socket
 * and keeps running is of no use, and may be hostile.
 */
export const EXIT_AFTER_CLOSE_GRACE_MS = 2_000;

/** Scope of the host's security audit records in the log store (a refused connection…). */
export const AUDIT_LOG_SCOPE = 'tether.audit';

/**
 * Most log records the host keeps in memory per extension (a ring: the oldest go first). The history stays
 * after the extension exits or crashes, so the reason for a crash stays visible.
 */
export const DEFAULT_LOG_HISTORY_RECORDS = 5_000;

/**
 * Most bytes (message, fields and error text, roughly as UTF-16 length) of log records the host keeps in
 * memory per extension. Whichever of this and `DEFAULT_LOG_HISTORY_RECORDS` is reached first evicts.
 */
export const DEFAULT_LOG_HISTORY_BYTES = 8 * 1024 * 1024;

/** Longest message kept in one record (characters); a longer one is cut and marked `… [N more chars]`. */
export const DEFAULT_LOG_MESSAGE_MAX_CHARS = 64 * 1024;

/**
 * Records a live log subscriber may have queued, not yet delivered. Past that, records are dropped for that
 * subscriber only and counted; it gets one "suppressed N records" record when it catches up. The producer
 * (the plugin's log intake) never waits for a subscriber.
 */
export const DEFAULT_LOG_SUBSCRIBER_QUEUE = 1_000;

/** Largest page `LogStore.query` returns. */
export const MAX_LOG_QUERY_LIMIT = 10_000;

/** Size at which a log file is rotated: it becomes `<name>.old.log` (one old file kept). */
export const DEFAULT_LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Characters of formatted log lines a file sink holds while the disk is behind. Past that, lines are dropped
 * and counted (a "suppressed N records" line is written when it catches up): logging never blocks the host.
 */
export const DEFAULT_LOG_FILE_QUEUE_CHARS = 4 * 1024 * 1024;

/** Environment variable that overrides the folder of the per-extension log files (`tether logs`, `tether run`). */
export const LOG_DIR_ENV = 'TETHER_LOG_DIR';

/** Label of the channel a plugin opens to send its log records (protocol.md section 5.4); the sdk's name. */
export { LOGS_CHANNEL_LABEL } from '@tether/sdk/wire';

/** Size of a plugin's pseudo-terminal when the host names none (pty runner): the classic 80×24. */
export const DEFAULT_TERMINAL_COLS = 80;
export const DEFAULT_TERMINAL_ROWS = 24;

/** Largest terminal width or height accepted, in character cells (`TerminalHandle.resize`). */
export const MAX_TERMINAL_CELLS = 10_000;

/**
 * Bytes of a plugin's terminal output kept for a viewer that attaches late (a terminal panel opened after
 * start): the latest ones, the oldest dropped first. About a screenful of a busy full-screen program many
 * times over, yet bounded whatever the plugin prints.
 */
export const DEFAULT_TERMINAL_BACKLOG_BYTES = 1024 * 1024;

/**
 * How long a pty broker may take to report the plugin it started in its terminal (ms); then it is killed and
 * the launch fails with PTY_UNAVAILABLE. Generous: under tsx (development) the broker itself starts slowly.
 */
export const PTY_BROKER_START_TIMEOUT_MS = 30_000;

// ── Extension manifests (manifest/, docs/manifest.md) ──

/** Longest `title` of a contributed command, in characters: a command palette shows it on one line. */
export const MAX_COMMAND_TITLE_LENGTH = 100;

/** Longest `arguments` description of a contributed command, in characters. */
export const MAX_COMMAND_ARGUMENTS_LENGTH = 500;

/**
 * Largest `idleTimeoutSeconds` and `crashLimit.windowSeconds` a manifest may give: the longest delay a Node
 * timer keeps (2^31 − 1 ms, about 24.8 days). A longer one would fire at once, with a warning.
 */
export const MAX_MANIFEST_DURATION_SECONDS = 2_147_483;

// ── Containment: what keeps a plugin's processes from outliving it or the host (docs/security.md) ──

/**
 * The shell that runs the host-death watchdog (`process/host-death-watchdog.ts`): one small process per host
 * that SIGKILLs the plugins' process groups (and cgroups) when the host dies, however it dies.
 */
export const WATCHDOG_SHELL = '/bin/sh';

/**
 * Least time between two starts of the host-death watchdog (ms). A watchdog that dies while plugins run is
 * replaced at once, unless the previous one started less than this long ago (then after the rest of it).
 */
export const WATCHDOG_RESTART_INTERVAL_MS = 1_000;

/** Name of the cgroup v2 directory a host creates, inside its own cgroup, for its plugins: `tether-<host pid>`. */
export const HOST_CGROUP_PREFIX = 'tether-';

/** Name of one plugin's cgroup inside the host's: `plugin-<pid>`. */
export const PLUGIN_CGROUP_PREFIX = 'plugin-';

/** How often an emptied plugin cgroup is checked before it is removed (ms; `cgroup.events` "populated 0"). */
export const CGROUP_REMOVE_POLL_MS = 20;

/**
 * How long the host waits for a killed plugin cgroup to empty before it stops trying to remove it (ms); the
 * watchdog removes whatever is left when the host exits.
 */
export const CGROUP_REMOVE_TIMEOUT_MS = 10_000;

// ── The extension manager (manager/): supervision, activation, state (docs/architecture.md) ──

/**
 * Crashes tolerated within `DEFAULT_CRASH_WINDOW_MS` before the manager gives up on an extension (state
 * `failed`, no more restarts until the user restarts it). VS Code's extension host limit: 3 in 5 minutes.
 */
export const DEFAULT_CRASH_LIMIT = 3;

/** The window of `DEFAULT_CRASH_LIMIT`, ms. */
export const DEFAULT_CRASH_WINDOW_MS = 5 * 60_000;

/** Delay before the first restart after a crash (ms); each further crash in the window doubles it. */
export const DEFAULT_RESTART_BACKOFF_MS = 500;

/** Longest delay between a crash and the restart (ms), however many crashes came before. */
export const MAX_RESTART_BACKOFF_MS = 30_000;

/**
 * How long a call through `manager.service()` is held while its extension starts (ms). Past it the call
 * rejects with START_TIMEOUT even if the extension is still starting; a failed start rejects every held
 * call at once with the start's error.
 */
export const DEFAULT_ACTIVATION_TIMEOUT_MS = 60_000;

/** After a folder change is seen, how long the manager waits for more before it rescans (ms). */
export const DISCOVERY_DEBOUNCE_MS = 100;

/** File name of the manager's persisted state (enabled/disabled, grants) in its data folder. */
export const MANAGER_STATE_FILE = 'extensions-state.json';

/** How often resource figures (CPU %, RSS, calls/s) are sampled while someone watches them (ms). */
export const DEFAULT_STATS_INTERVAL_MS = 1_000;

/** Name of the manager's control socket in its data folder (`tether host`; `tether list` etc. connect). */
export const CONTROL_SOCKET_FILE = 'control.sock';

/**
 * Name of the file next to the control socket that holds the pid of the `tether host` serving it, so that a
 * second host on the same data folder can say which process to stop.
 */
export const HOST_PID_FILE = 'host.pid';

/** The app name of the `tether` CLI's manager (`tether host`): names its default data folder. */
export const CLI_APP_NAME = 'tether';

// ── Extension packages and their signatures (install/, docs/packaging.md "Signed packages") ──

/** Suffix of a package's detached signature: `acme-kv-1.2.0.tgz.sig` next to `acme-kv-1.2.0.tgz`. */
export const SIGNATURE_FILE_SUFFIX = '.sig';

/**
 * Largest signature file read, in bytes. A real one is under 1 KiB; a larger file is refused
 * (`BAD_SIGNATURE`) without being read whole.
 */
export const MAX_SIGNATURE_FILE_BYTES = 64 * 1024;

/** Largest `package/package.json` read out of a package archive (bytes); a larger one is `PACKAGE_CORRUPT`. */
export const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

/** Largest key file (PEM) read by `tether sign` and `tether trust` and from an app's configuration (bytes). */
export const MAX_KEY_FILE_BYTES = 16 * 1024;

/**
 * Bytes of the SHA-256 of a public key's SPKI DER encoding that its key id keeps, written as lowercase hex
 * (so 32 characters): 128 bits, far beyond what a second key with the same id would take to find.
 */
export const KEY_ID_BYTES = 16;

/** The folder, in the manager's data folder, of the publisher keys the user trusts: `<keyId>.pem` each. */
export const TRUSTED_KEYS_FOLDER = 'trusted-keys';

/** Longest publisher name given to a trusted key (`tether trust --name`), in characters. */
export const MAX_PUBLISHER_NAME_LENGTH = 100;

// ── Unpacking a package archive (install/safe-extract.ts, ExtractLimits) ──

/**
 * The folder every entry of a package archive lives in (npm-pack layout: `package/package.json`, …). An
 * entry outside it is refused; the archive is unpacked to `<staging>/package/`.
 */
export const PACKAGE_ARCHIVE_FOLDER = 'package';

/** Most entries (files and folders) a package archive may hold (`ExtractLimits.maxEntries`). */
export const DEFAULT_EXTRACT_MAX_ENTRIES = 10_000;

/**
 * Most bytes a package archive may unpack to (`ExtractLimits.maxTotalBytes`): the sum of its entries' sizes,
 * and also the decompressed archive stream, tar headers included, so nothing unbounded passes unseen.
 */
export const DEFAULT_EXTRACT_MAX_TOTAL_BYTES = 256 * 1024 * 1024;

/** Largest single entry of a package archive, in bytes (`ExtractLimits.maxEntryBytes`). */
export const DEFAULT_EXTRACT_MAX_ENTRY_BYTES = 128 * 1024 * 1024;

/**
 * Highest ratio of decompressed to compressed bytes (`ExtractLimits.maxExpansionRatio`), checked as the
 * archive streams, so a gzip bomb is stopped after a few MiB, not after it filled the disk. Source code
 * compresses 3–10×; 100× is only reached by padding.
 */
export const DEFAULT_EXTRACT_MAX_EXPANSION_RATIO = 100;

/**
 * Decompressed bytes below which the expansion ratio is not checked: a small package of repetitive text
 * (a 200 KiB JSON schema in a 1 KiB archive) is no bomb, and ratios over a few KiB of input say little.
 */
export const EXTRACT_RATIO_GRACE_BYTES = 1024 * 1024;

/** Most path segments in an archive entry's name, `package/` included. */
export const MAX_ARCHIVE_PATH_DEPTH = 64;

/** Longest archive entry name, in characters. */
export const MAX_ARCHIVE_PATH_CHARS = 1024;

/** Longest segment of an archive entry name, in bytes of UTF-8: what every common file system accepts. */
export const MAX_ARCHIVE_NAME_SEGMENT_BYTES = 255;

// ── Downloading a package (install/download.ts, DownloadOptions) ──

/** Largest package download, in bytes (`DownloadOptions.maxBytes`). */
export const DEFAULT_DOWNLOAD_MAX_BYTES = 128 * 1024 * 1024;

/** Longest a whole download may take, redirects included (ms; `DownloadOptions.timeoutMs`). */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/** Longest the server may stay silent during a download (ms; `DownloadOptions.idleTimeoutMs`). */
export const DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS = 30_000;

/** Most redirects a download follows (`DownloadOptions.maxRedirects`); one more fails as a redirect loop. */
export const DEFAULT_DOWNLOAD_MAX_REDIRECTS = 5;

/** Least time between two progress reports of a download (ms); the final report always comes. */
export const DOWNLOAD_PROGRESS_INTERVAL_MS = 100;

// ── The web host: the app's UI in a browser (web/, docs/security.md "Browser mode") ──

/** The path of the web host's WebSocket: the UI connects to `ws://127.0.0.1:<port>/ws?token=<token>`. */
export const WEB_UI_SOCKET_PATH = '/ws';

/** Random bytes of the web host's per-run access token (base64url: 43 characters, 256 bits). */
export const WEB_UI_TOKEN_BYTES = 32;

/**
 * Largest WebSocket message the web host accepts from a UI (bytes); a larger one closes that connection
 * (1009). One message is one write of the mux: frames of at most the session's frame size, as many as the
 * channels' credit windows allow in one tick — a few MiB at most for a UI. The RPC layer's own limits
 * (message and reassembly budgets) still apply behind it.
 */
export const WEB_UI_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * When the web host closes, how long each UI gets to finish the WebSocket's closing handshake after the
 * session's GOAWAY (ms) before its connection is cut.
 */
export const WEB_UI_CLOSE_GRACE_MS = 1_000;

/** `tether dev`: how long after the last file change in the extension folder it is restarted (ms). */
export const DEV_RESTART_DEBOUNCE_MS = 300;
