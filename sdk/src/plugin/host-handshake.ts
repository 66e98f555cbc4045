// The host's half of the plugin handshake (protocol.md section 5.2). Its pair is `plugin-handshake.ts`.
import { DisposableStore } from '../common/disposable.js';
import { deferred } from '../common/deferred.js';
import type { Event } from '../common/event.js';
import { PLUGIN_SECRET_ENV, PROTOCOL_VERSION, SDK_VERSION } from '../constants.js';
import { ConnectionClosedError } from '../errors/errors.js';
import { TetherError, isTetherError } from '../errors/tether-error.js';
import type { MuxSession } from '../mux/mux-session.js';
import type { MuxChannel, MuxCloseEvent } from '../mux/mux-types.js';
import {
  HANDSHAKE_CHANNEL_LABEL,
  encodeHandshakeMessage,
  helloVersions,
  parseHandshakeMessage,
  type HelloMessage,
  type RejectCode,
} from './handshake-messages.js';
import { negotiateVersion } from './version-negotiation.js';

export interface HostHandshakeOptions {
  /** The app's magic cookie: the variable name the plugin reads and the value it must find there. */
  readonly cookie: { readonly key: string; readonly value: string };
  /** The app protocol versions this app supports. */
  readonly versions: readonly number[];
  /**
   * The per-launch secret handed to the plugin (in `TETHER_PLUGIN_SECRET`); its HELLO must carry it as
   * `auth`, or the connection is refused with AUTH_FAILED (compared in constant time). Omit it only where
   * the transport is private by construction (a MessagePort only the plugin holds).
   */
  readonly secret?: string;
  /** How long the plugin may take to say HELLO and READY, ms (START_TIMEOUT after that). */
  readonly timeoutMs: number;
  /**
   * Called synchronously once the HELLO passed every check, just before WELCOME is sent: expose the host's
   * services here, so that nothing reaches them before the plugin proved who it is, and they are there
   * before the plugin's first call (which can only follow WELCOME).
   */
  readonly onWelcome?: () => void;
  /** Aborting it fails the handshake with ABORTED. */
  readonly signal?: AbortSignal;
  /**
   * Ask a plugin that offers ACKs (its HELLO's `acks`) to send them (protocol.md section 4.8); the result's
   * `acks` says whether it will. Default true.
   */
  readonly acks?: boolean;
}

/** The host's control over a started plugin, over the handshake channel. */
export interface HostControl {
  /** Sends STOP: the plugin stops taking calls, runs its stop hooks and exits 0 within `graceMs`. Once only. */
  requestStop(graceMs: number): void;
  /** Fires once when the session with the plugin closes (for any reason). */
  readonly onDidClose: Event<MuxCloseEvent>;
  /** True once the session with the plugin is closed. */
  readonly closed: boolean;
}

/** What the host learns from a completed handshake. */
export interface HandshakeResult {
  /** The negotiated app protocol version. */
  readonly version: number;
  /** The services the plugin now exposes (those it declared for `version`). */
  readonly services: string[];
  readonly pluginPid: number;
  /** The plugin's `@tether/sdk` version. */
  readonly sdkVersion: string;
  /**
   * Whether the plugin acknowledges the host's calls (both offered ACKs; protocol.md section 4.8): then call
   * `expectAcks()` on the host's RpcPeer. False for older SDKs and plugins that do not implement ACKs.
   */
  readonly acks: boolean;
  readonly control: HostControl;
}

/**
 * Runs the host's side of the handshake on `session` (the host is the mux initiator): waits for the channel
 * labelled `tether.handshake` the plugin opens, checks its HELLO (cookie, core protocol version, a common app
 * protocol version), answers WELCOME or REJECT, and resolves when the plugin says READY.
 *
 * Call it in the same tick as creating the session (it must be listening when the plugin's OPEN arrives),
 * and construct the host's `RpcPeer` then too, before or after: the peer leaves `tether.*` channels alone.
 * Calls to the plugin's services are answered once this resolves.
 *
 * Rejects with TetherError `AUTH_FAILED` (the HELLO lacks the per-launch `secret`), `COOKIE_MISMATCH`,
 * `CORE_VERSION_MISMATCH` or `NO_COMMON_VERSION` (after sending the plugin a REJECT with the same message), `HANDSHAKE_FAILED` (a malformed or out-of-order message),
 * `START_TIMEOUT` after `timeoutMs`, `ABORTED` when `signal` aborts, and `CONNECTION_CLOSED` (its `cause` the
 * session's close reason, if any) when the session closes first — the caller turns that into PLUGIN_EXITED
 * with the exit code. On any failure the session is closed with GOAWAY code 1 (protocol error), after what
 * is already queued, so a REJECT still reaches the plugin.
 */
export async function performHostHandshake(
  session: MuxSession,
  options: HostHandshakeOptions,
): Promise<HandshakeResult> {
  // An async function runs synchronously up to its first await: the listeners attach before this returns.
  checkOptions(options);
  if (session.closed) {
    throw new ConnectionClosedError(
      'Cannot start the handshake: the connection to the plugin is already closed.',
    );
  }
  if (options.signal?.aborted === true) {
    throw new TetherError('ABORTED', 'The plugin handshake was aborted before it started.', {
      cause: options.signal.reason,
    });
  }
  return new HostHandshake(session, options).result;
}

class HostHandshake {
  readonly #result = deferred<HandshakeResult>();
  readonly result = this.#result.promise;
  readonly #session: MuxSession;
  readonly #options: HostHandshakeOptions;
  readonly #pending = new DisposableStore();
  #channel: MuxChannel | undefined;
  #hello: HelloMessage | undefined;
  #welcome: Welcome | undefined;
  #settled = false;
  #stopSent = false;

  constructor(session: MuxSession, options: HostHandshakeOptions) {
    this.#session = session;
    this.#options = options;
    this.#pending.add(
      session.onDidOpenChannel((channel) => {
        if (channel.label === HANDSHAKE_CHANNEL_LABEL) this.#accept(channel);
      }),
    );
    this.#pending.add(
      session.onDidClose((event) =>
        this.#fail(
          new ConnectionClosedError(
            `The connection to the plugin closed during the handshake${event.error === undefined ? '' : ` (${event.error.message})`}. The plugin probably exited; see its exit code and stderr.`,
            { cause: event.error },
          ),
        ),
      ),
    );
    const timer = setTimeout(() => this.#timeout(), options.timeoutMs);
    timer.unref();
    this.#pending.add({ dispose: () => clearTimeout(timer) });
    const signal = options.signal;
    if (signal !== undefined) {
      const onAbort = (): void =>
        this.#fail(new TetherError('ABORTED', 'The plugin handshake was aborted.', { cause: signal.reason }));
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.add({ dispose: () => signal.removeEventListener('abort', onAbort) });
    }
  }

  #accept(channel: MuxChannel): void {
    if (this.#channel !== undefined || this.#settled) {
      channel.reset('the plugin opened a second handshake channel');
      return;
    }
    this.#channel = channel;
    channel.onDidReceive((bytes) => {
      // Nothing the plugin sends may throw out of here (it would be an uncaught exception in the host).
      try {
        this.#receive(bytes);
      } catch (error) {
        this.#fail(
          new TetherError(
            'HANDSHAKE_FAILED',
            `The handshake failed on a message from the plugin: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          ),
        );
      }
    });
    channel.onDidClose((event) => {
      // A closing session closes its channels first; let the session's own close event explain it.
      queueMicrotask(() =>
        this.#fail(
          new TetherError(
            'HANDSHAKE_FAILED',
            `The plugin closed its handshake channel before it said READY${event.error === undefined ? '' : ` (${event.error.message})`}.`,
            { cause: event.error },
          ),
        ),
      );
    });
  }

  #receive(bytes: Uint8Array): void {
    if (this.#settled) return; // after READY nothing more is expected from the plugin; ignore it
    let message;
    try {
      message = parseHandshakeMessage(bytes, 'the plugin');
    } catch (error) {
      this.#fail(error as TetherError);
      return;
    }
    if (this.#hello === undefined) {
      if (message.type !== 'hello') {
        this.#fail(outOfOrder(`"${message.type}" before "hello"`));
        return;
      }
      this.#hello = message;
      this.#answer(message);
    } else if (message.type === 'ready' && this.#welcome !== undefined) {
      this.#ready(this.#hello, this.#welcome);
    } else {
      this.#fail(outOfOrder(`"${message.type}" where "ready" was expected`));
    }
  }

  #answer(hello: HelloMessage): void {
    const secret = this.#options.secret;
    if (secret !== undefined && !sameSecret(hello.auth, secret)) {
      this.#reject(
        'AUTH_FAILED',
        `A process that says it is pid ${hello.pid} connected to the plugin's socket without ${hello.auth === undefined ? 'the' : 'the right'} per-launch secret (${PLUGIN_SECRET_ENV}); it was refused. Only the process the host started can become the plugin. A plugin in another language must send the secret as "auth" in its HELLO (protocol.md section 5.2).`,
      );
      return;
    }
    const { key, value } = this.#options.cookie;
    if (hello.cookie !== value) {
      this.#reject(
        'COOKIE_MISMATCH',
        hello.cookie === null
          ? `The plugin (pid ${hello.pid}) did not accept this app's magic cookie (environment variable ${key}): it is a plugin for another app, or it was built against another version of this app's contract. Rebuild it with this app's contract module (its handshake settings).`
          : `The plugin (pid ${hello.pid}) presented a magic cookie (${key}) that is not this app's: it is a plugin for another app, or was built against another version of the contract. Rebuild it with this app's contract module (its handshake settings).`,
      );
      return;
    }
    if (hello.core !== PROTOCOL_VERSION) {
      const sdk = `@tether/sdk ${SDK_VERSION.split('.')[0] ?? '0'}.x`;
      this.#reject(
        'CORE_VERSION_MISMATCH',
        `The plugin (pid ${hello.pid}) speaks Tether core protocol ${hello.core} (it says its SDK is ${JSON.stringify(hello.sdk)}); this app speaks core protocol ${PROTOCOL_VERSION}. Rebuild the plugin with ${sdk}${hello.core > PROTOCOL_VERSION ? ', or update the app' : ''}; a plugin written without the Node SDK must implement core protocol ${PROTOCOL_VERSION} (docs/protocol.md).`,
      );
      return;
    }
    let version: number;
    try {
      version = negotiateVersion(helloVersions(hello), this.#options.versions);
    } catch (error) {
      if (!isTetherError(error, 'NO_COMMON_VERSION')) throw error;
      this.#reject('NO_COMMON_VERSION', error.message);
      return;
    }
    const services = [...(hello.versions[String(version)] ?? [])];
    const acks = hello.acks === true && this.#options.acks !== false;
    this.#welcome = { version, services, acks };
    try {
      this.#options.onWelcome?.();
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    // `acks` only when asked for: a plugin that did not offer them gets the WELCOME of before.
    this.#channel?.send(
      encodeHandshakeMessage({ type: 'welcome', version, services, ...(acks ? { acks } : {}) }),
    );
  }

  #reject(code: RejectCode, message: string): void {
    const channel = this.#channel;
    if (channel?.writable === true) {
      channel.send(encodeHandshakeMessage({ type: 'reject', code, message }));
      channel.end();
    }
    this.#fail(new TetherError(code, message));
  }

  #ready(hello: HelloMessage, welcome: Welcome): void {
    this.#settled = true;
    this.#pending.dispose();
    const session = this.#session;
    const control: HostControl = {
      requestStop: (graceMs) => this.#requestStop(graceMs),
      onDidClose: session.onDidClose,
      get closed() {
        return session.closed;
      },
    };
    this.#result.resolve({
      version: welcome.version,
      services: welcome.services,
      pluginPid: hello.pid,
      sdkVersion: hello.sdk,
      acks: welcome.acks,
      control,
    });
  }

  #requestStop(graceMs: number): void {
    if (!Number.isSafeInteger(graceMs) || graceMs < 0) {
      throw new TetherError('INVALID_OPTIONS', `graceMs must be an integer ≥ 0, got ${String(graceMs)}.`);
    }
    const channel = this.#channel;
    if (this.#stopSent || channel?.writable !== true) return;
    this.#stopSent = true;
    channel.send(encodeHandshakeMessage({ type: 'stop', graceMs }));
  }

  #timeout(): void {
    const ms = this.#options.timeoutMs;
    this.#fail(
      new TetherError(
        'START_TIMEOUT',
        this.#hello === undefined
          ? `The plugin connected but did not say HELLO within ${ms} ms. Check that its main calls serve() from @tether/sdk without slow work before it (a plugin in another language: that it opens the tether.handshake channel and sends HELLO, protocol.md section 5.2), or raise the start timeout.`
          : `The plugin (pid ${this.#hello.pid}) said HELLO but not READY within ${ms} ms: it did not finish setting up its services. Look for slow work at its start, or raise the start timeout.`,
      ),
    );
  }

  #fail(error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#pending.dispose();
    // GOAWAY code 1 (protocol error), after anything queued (a REJECT still reaches the plugin).
    if (!this.#session.closed) {
      this.#session.abort(
        isTetherError(error)
          ? (error as TetherError)
          : new TetherError('HANDSHAKE_FAILED', `The plugin handshake failed: ${error.message}`),
      );
    }
    this.#result.reject(error);
  }
}

/** What the host answered a HELLO with. */
interface Welcome {
  readonly version: number;
  readonly services: string[];
  readonly acks: boolean;
}

function outOfOrder(what: string): TetherError {
  return new TetherError(
    'HANDSHAKE_FAILED',
    `The handshake failed: the plugin sent ${what} (protocol.md section 5.2). It does not follow the Tether handshake; rebuild it with @tether/sdk.`,
  );
}

function checkOptions(options: HostHandshakeOptions): void {
  const problem = (what: string): never => {
    throw new TetherError('INVALID_OPTIONS', `performHostHandshake: ${what}.`);
  };
  if (typeof options.cookie.key !== 'string' || options.cookie.key === '') {
    problem('cookie.key must be a non-empty string (an environment variable name)');
  }
  if (typeof options.cookie.value !== 'string' || options.cookie.value === '') {
    problem('cookie.value must be a non-empty string');
  }
  if (options.versions.length === 0) problem('versions must list at least one app protocol version');
  for (const version of options.versions) {
    if (!Number.isSafeInteger(version) || version < 1) {
      problem(`versions must be positive integers, got ${String(version)}`);
    }
  }
  if (options.acks !== undefined && typeof options.acks !== 'boolean') {
    problem(`acks must be true or false, got ${String(options.acks)}`);
  }
  const timeout = options.timeoutMs;
  if (!Number.isSafeInteger(timeout) || timeout < 1 || timeout > 2 ** 31 - 1) {
    problem(`timeoutMs must be an integer from 1 to ${2 ** 31 - 1}, got ${String(timeout)}`);
  }
}

/** Compares the secret a HELLO presents with the expected one in time independent of where they differ. */
function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = encoder.encode(presented);
  const b = encoder.encode(expected);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i % Math.max(a.length, 1)] ?? 0) ^ b[i]!;
  return difference === 0;
}

const encoder = new TextEncoder();
