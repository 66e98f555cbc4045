/**
 * Limits and defaults of the wire layer, in one place. Each is overridable through a validated options
 * object (see `mux/mux-options.ts`, `rpc/rpc-options.ts`); these are the values used when none is given.
 */

/** Version of the Tether wire protocol (frame layout + RPC messages). Bumped on incompatible change. */
export const PROTOCOL_VERSION = 1;

// ── Transport ──

/**
 * `write(chunks)` joins the chunks with one `Buffer.concat` when they average less than this many bytes, and
 * hands them to the socket as one vectored write (`cork` + writes + `uncork` → one `writev`) otherwise.
 *
 * Measured on a 2 vCPU VM, Node 20, Unix socket, sender CPU per call: 64 × 32 B: concat 3.8 µs, writev 13.2 µs;
 * 32 × 1 KiB: concat 12.9 µs, writev 16.7 µs; 8 × 4 KiB: concat 11.6 µs, writev 8.3 µs; 10 B + 1 MiB + 10 B:
 * concat 251 µs, writev 114 µs. Copying is cheaper than a vector entry below ~1–2 KiB a chunk, dearer above.
 * (The mux packs small frames into one chunk already, so most writes are a single chunk, written as is.)
 */
export const VECTORED_WRITE_MIN_AVERAGE_CHUNK = 2048;

/** How long `close()` waits for the peer to end its side before the socket is destroyed (ms). */
export const STREAM_CLOSE_GRACE_MS = 2000;

/** How long `WebSocketTransport.connect` waits for the WebSocket to open (ms). */
export const WEBSOCKET_CONNECT_TIMEOUT_MS = 10_000;

/**
 * `WebSocketTransport.write` returns false while more than this many bytes wait in the WebSocket
 * (`bufferedAmount`). Informational, as for every transport: the mux's credit windows bound what is in flight.
 */
export const WEBSOCKET_HIGH_WATER_MARK = 1024 * 1024;

/**
 * How long `WebSocketTransport.close()` waits for the peer's closing handshake before it reports the close
 * anyway (ms); the socket finishes closing on its own.
 */
export const WEBSOCKET_CLOSE_GRACE_MS = 2000;

// ── Mux ──

/** Size of a frame header in bytes: length u32, type u8, flags u8, channel u32. */
export const FRAME_HEADER_SIZE = 10;

/** Largest frame payload accepted or sent (bytes). Checked on the header, before any allocation. */
export const DEFAULT_MAX_FRAME_SIZE = 256 * 1024;

/** Hard upper bound for `maxFrameSize` (a u32 length could claim 4 GiB). */
export const MAX_FRAME_SIZE_LIMIT = 16 * 1024 * 1024;

/** Largest message (after reassembling its fragments) a channel accepts, in bytes. */
export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;

/**
 * Most bytes of half-received messages (DATA with MORE, the message not yet complete) one session holds
 * across all of its channels. Without it, a peer could start an unfinished message on every channel and
 * make the receiver hold `maxMessageSize` × `maxChannels` bytes; past it the session closes with a
 * FramingError naming this budget. Two default messages' worth; never less than `maxMessageSize` (the
 * default follows a larger `maxMessageSize`).
 */
export const DEFAULT_MAX_REASSEMBLY_BYTES = 128 * 1024 * 1024;

/** Most channels open at once on one session (both directions together). */
export const DEFAULT_MAX_CHANNELS = 1024;

/** Initial receive window of a channel: bytes the peer may send before it must wait for credit. */
export const DEFAULT_CHANNEL_WINDOW = 1024 * 1024;

/**
 * Send credit every channel starts with, in each direction, fixed by the protocol (not configurable): a
 * receiver with a larger `channelWindow` grants the difference with a WINDOW frame. Also the smallest
 * allowed `channelWindow`.
 */
export const PROTOCOL_INITIAL_WINDOW = 64 * 1024;

/** Smallest allowed `maxFrameSize` (bytes): room for a 255-byte label and any control frame's reason. */
export const MIN_FRAME_SIZE = 1024;

/** Most calls awaiting a result at once on one RPC peer; more reject with TOO_MANY_PENDING_CALLS. */
export const DEFAULT_MAX_PENDING_CALLS = 10_000;

/** Default per-call timeout in ms; 0 means no timeout (calls still reject when the connection closes). */
export const DEFAULT_CALL_TIMEOUT_MS = 0;

/**
 * How long calls may stay unacknowledged before a peer that acknowledges calls (protocol.md section 4.8)
 * counts as unresponsive, ms: some call was sent, and neither an ACK nor an answer for any call arrived
 * for this long. VS Code's extension host uses the same 3 s. A handler that awaits is never unresponsive;
 * one that blocks its event loop this long is.
 */
export const DEFAULT_UNRESPONSIVE_MS = 3_000;

/** Deepest nesting of a value the codec encodes or decodes (also catches cyclic values). */
export const DEFAULT_MAX_VALUE_DEPTH = 256;

/** Items buffered ahead of a slow consumer on a stream before the producer is paused. */
export const DEFAULT_STREAM_HIGH_WATER_MARK = 16;

/** How long an accepted stream channel waits for the message that claims it before it is reset (ms). */
export const UNCLAIMED_CHANNEL_TIMEOUT_MS = 30_000;

/** Version of this SDK, sent in the plugin's HELLO (protocol.md section 5.2) and named in error messages. */
export const SDK_VERSION = '0.1.0';

/** Largest handshake message (one JSON object on the `tether.handshake` channel) accepted, in bytes. */
export const MAX_HANDSHAKE_MESSAGE_SIZE = 64 * 1024;

/**
 * How long a plugin that found no cookie (or the wrong one) waits for the host's answer to its HELLO before
 * it exits 1 anyway (ms).
 */
export const COOKIE_MISMATCH_EXIT_MS = 2_000;

/** How often a plugin checks that its host is still alive (`process.ppid`, `TETHER_HOST_PID`), ms. */
export const HOST_WATCH_INTERVAL_MS = 1_000;

/**
 * How long a plugin that leads its process group, and whose connection the host ended, waits for the host's
 * death to show (`process.ppid` changing, `TETHER_HOST_PID` gone) before it exits without taking its group
 * along, ms (see `plugin/host-death-exit.ts`). A SIGKILLed host's socket closes a little before the kernel
 * re-parents its children: on a 2-core Linux VM the parent pid had not changed yet in 12 of 40 runs when the
 * plugin saw the end of the connection, and changed up to 16 ms later on a quiet machine; a loaded one can
 * take much longer (the dying host needs CPU to finish exiting), so the wait is generous. It ends as soon as
 * the death shows, so only a host that is alive and ended the connection on purpose sees
 * the plugin's exit this much later — and such a host kills what is left of the group itself anyway.
 */
export const HOST_DEATH_CONFIRM_MS = 1_500;

/** How often the host's death is checked during {@link HOST_DEATH_CONFIRM_MS}, ms. */
export const HOST_DEATH_CONFIRM_POLL_MS = 2;

/** Label of the channel a plugin sends its log records on (protocol.md section 5.4). */
export const LOGS_CHANNEL_LABEL = 'tether.logs';

/** Most log records a plugin holds while the host is not reading; more are dropped and counted. */
export const DEFAULT_LOG_MAX_BUFFERED_RECORDS = 10_000;

/** Most bytes (encoded) of log records a plugin holds while the host is not reading; more are dropped and counted. */
export const DEFAULT_LOG_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Largest `[records, suppressed]` message the plugin sends on `tether.logs` (a batch is split above it). */
export const LOG_BATCH_MAX_BYTES = 256 * 1024;

/** Longest log message or error stack kept, in UTF-8 bytes; longer ones end with "…(truncated N bytes)". */
export const LOG_MESSAGE_MAX_BYTES = 64 * 1024;

/** Largest encoded log record; a record with larger fields keeps its message but has its fields replaced. */
export const LOG_RECORD_MAX_BYTES = 128 * 1024;

// ── Contributed commands (protocol.md section 5.5) ──

/**
 * Name of the built-in service through which a host runs the commands a plugin registers with
 * `serve({ commands })`. Reserved: a plugin's own services cannot use it, nor can a manifest list it.
 */
export const COMMAND_SERVICE_NAME = 'tether.commands';

/** Longest command id, in characters (ids are like `kv.clear`; the same rule as service names). */
export const MAX_COMMAND_ID_LENGTH = 128;

/** Most command ids a COMMAND_NOT_FOUND message lists (the rest are counted). */
export const COMMAND_NOT_FOUND_LISTED_IDS = 20;

// ── The variables a host passes its plugins (protocol.md section 5.1), named once here ──

/** Path of the Unix socket the host listens on for this plugin. */
export const SOCKET_ENV = 'TETHER_SOCKET';

/** The host's pid, for the plugin's watch of its host (protocol.md section 5.3). */
export const HOST_PID_ENV = 'TETHER_HOST_PID';

/** The host's core protocol version (`PROTOCOL_VERSION`). */
export const CORE_PROTOCOL_ENV = 'TETHER_CORE_PROTOCOL';

/** The name the host knows the plugin by (its log records are stored under it). */
export const PLUGIN_NAME_ENV = 'TETHER_PLUGIN_NAME';

/**
 * Environment variable holding the per-launch secret a plugin proves in its HELLO (protocol.md 5.2), so that
 * only the process the host started can become the plugin, not another process that reaches the socket.
 */
export const PLUGIN_SECRET_ENV = 'TETHER_PLUGIN_SECRET';
