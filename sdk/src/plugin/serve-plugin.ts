// The plugin's half of the handshake and its lifetime (protocol.md section 5), over a transport it is given.
// `serve()` (serve.ts) finds the transport in the process; this file knows nothing of process globals.
import { DisposableStore } from '../common/disposable.js';
import { deferred } from '../common/deferred.js';
import { COOKIE_MISMATCH_EXIT_MS, PLUGIN_SECRET_ENV, PROTOCOL_VERSION, SDK_VERSION } from '../constants.js';
import type { TetherErrorCode } from '../errors/error-codes.js';
import { TetherError } from '../errors/tether-error.js';
import { log } from '../logging/logger.js';
import { startPluginLogging, type PluginLogging } from '../logging/plugin-logging.js';
import { MuxSession } from '../mux/mux-session.js';
import type { MuxChannel } from '../mux/mux-types.js';
import { RpcPeer } from '../rpc/rpc-peer.js';
import type { Transport } from '../transport/transport.js';
import {
  HANDSHAKE_CHANNEL_LABEL,
  encodeHandshakeMessage,
  parseHandshakeMessage,
  type HandshakeMessage,
} from './handshake-messages.js';
import { watchHost } from './host-watch.js';
import type { PluginEnvironment } from './plugin-environment.js';
import {
  resolveServedVersions,
  type ServeHandle,
  type ServeOptions,
  type ServedVersions,
} from './serve-options.js';

/**
 * Serves a plugin over `transport`: mux acceptor and RPC peer, HELLO, and on WELCOME the services of the
 * negotiated version, then READY. Resolves once READY is sent.
 *
 * Exit codes (through `environment.exit`, or `options.exit` when given): 0 after a requested stop (STOP from
 * the host, or `handle.stop()`) whose `onStop` finished in time; 1 for everything else — REJECT, a failed
 * handshake, a wrong cookie, a failing or overrunning `onStop`, and the host going away without asking
 * (transport closed, parent pid changed, `TETHER_HOST_PID` gone). Each writes one line saying why to stderr.
 * Before READY, those failures also reject the returned promise (for tests, where `exit` returns).
 */
export async function servePlugin(
  transport: Transport,
  options: ServeOptions,
  environment: PluginEnvironment,
): Promise<ServeHandle> {
  const exit = options.exit ?? ((code: number) => environment.exit(code));
  try {
    resolveServedVersions(options); // bad options fail here, before anything is sent
    return new PluginServer(transport, options, { ...environment, exit }).started;
  } catch (error) {
    transport.dispose();
    throw error;
  }
}

class PluginServer {
  readonly #started = deferred<ServeHandle>();
  readonly started = this.#started.promise;
  readonly #options: ServeOptions;
  readonly #versions: ServedVersions;
  readonly #environment: PluginEnvironment;
  readonly #session: MuxSession;
  readonly #peer: RpcPeer;
  readonly #channel: MuxChannel;
  #logging: PluginLogging | undefined;
  readonly #cookieOk: boolean;
  readonly #resources = new DisposableStore();
  readonly #exposed = new DisposableStore();
  #state: 'waiting' | 'running' | 'stopping' | 'exited' = 'waiting';
  #stopping: Promise<void> | undefined;

  constructor(transport: Transport, options: ServeOptions, environment: PluginEnvironment) {
    this.#options = options;
    this.#environment = environment;
    const session = new MuxSession(transport, { ...options.mux, role: 'acceptor' });
    this.#session = session;
    this.#channel = session.openChannel(HANDSHAKE_CHANNEL_LABEL);
    const peer = new RpcPeer(session, { peerName: 'the host' });
    this.#peer = peer;
    let versions: ServedVersions;
    try {
      // A services function builds them now, with this connection's host() (HELLO names them).
      versions = resolveServedVersions(options, { host: (service) => peer.remote(service), log });
    } catch (error) {
      peer.dispose();
      session.dispose();
      throw error;
    }
    this.#versions = versions;
    this.#resources.add(
      this.#peer.onDidClose((event) =>
        this.#exit(
          1,
          `This plugin exits: the connection to the host closed${event.error === undefined ? '' : ` (${event.error.message})`}.`,
          'CONNECTION_CLOSED',
        ),
      ),
    );
    this.#resources.add(
      watchHost(environment, (reason) => this.#exit(1, `This plugin exits: ${reason}.`, 'CONNECTION_CLOSED')),
    );
    this.#channel.onDidReceive((bytes) => this.#receive(bytes));

    const found = environment.env[options.handshake.cookieKey];
    this.#cookieOk = found === options.handshake.cookieValue;
    // Present the cookie only when it is the one this plugin was built for; otherwise null, so the host
    // answers COOKIE_MISMATCH (a plugin for another app, or started without the cookie) instead of a crash.
    const cookie = this.#cookieOk ? (found ?? null) : null;
    const secret = environment.env[PLUGIN_SECRET_ENV];
    const served: Record<string, string[]> = {};
    for (const [version, bindings] of versions) served[version] = bindings.map((b) => b.definition.name);
    this.#send({
      type: 'hello',
      core: PROTOCOL_VERSION,
      sdk: SDK_VERSION,
      pid: environment.pid,
      cookie,
      versions: served,
      ...(secret === undefined || secret === '' ? {} : { auth: secret }),
      // This SDK acknowledges calls when the host asks (protocol.md section 4.8).
      acks: true,
    });
    if (!this.#cookieOk) {
      // Section 5.2: say HELLO anyway so the host can explain, then exit 1 after its answer or 2 s.
      const timer = setTimeout(
        () => this.#exit(1, this.#cookieProblem(), 'COOKIE_MISMATCH'),
        COOKIE_MISMATCH_EXIT_MS,
      );
      this.#resources.add({ dispose: () => clearTimeout(timer) });
    }
  }

  #receive(bytes: Uint8Array): void {
    let message: HandshakeMessage;
    try {
      message = parseHandshakeMessage(bytes, 'the host');
    } catch (error) {
      if (this.#state === 'waiting') this.#exit(1, (error as Error).message);
      else
        this.#environment.writeStderr(
          `tether: ignored a message from the host: ${(error as Error).message}\n`,
        );
      return;
    }
    if (this.#state === 'waiting') {
      if (message.type === 'reject') this.#exit(1, message.message, message.code);
      else if (message.type === 'welcome') this.#welcome(message.version, message.acks === true);
      else {
        this.#exit(
          1,
          `The handshake failed: the host sent "${message.type}" where "welcome" or "reject" was expected (protocol.md section 5.2).`,
        );
      }
    } else if (message.type === 'stop') {
      void this.#stop(message.graceMs);
    } else if (this.#state === 'running') {
      this.#environment.writeStderr(
        `tether: ignored an unexpected "${message.type}" message from the host\n`,
      );
    }
  }

  #welcome(version: number, acks: boolean): void {
    if (!this.#cookieOk) {
      this.#exit(1, this.#cookieProblem(), 'COOKIE_MISMATCH');
      return;
    }
    const bindings = this.#versions.get(version);
    if (bindings === undefined) {
      this.#exit(
        1,
        `The handshake failed: the host chose app protocol version ${version}, which this plugin does not serve (it serves ${[...this.#versions.keys()].join(', ')}); the host does not follow the handshake.`,
      );
      return;
    }
    // Before the services are exposed and READY is sent: the host's first call comes after READY.
    if (acks) this.#peer.sendAcks();
    try {
      for (const binding of bindings)
        this.#exposed.add(this.#peer.expose(binding.definition, binding.implementation));
    } catch (error) {
      this.#exit(
        1,
        `This plugin could not expose the services of version ${version}: ${(error as Error).message}`,
      );
      return;
    }
    this.#state = 'running';
    this.#send({ type: 'ready' });
    const logging = startPluginLogging(this.#session, this.#options.logging ?? {}, {
      writeStderr: (text) => this.#environment.writeStderr(text),
      exit: () => this.#crash(),
    });
    this.#logging = this.#resources.add(logging);
    const peer = this.#peer;
    this.#started.resolve({
      peer,
      version,
      log: logging.log,
      host: (service) => peer.remote(service),
      stop: () => this.#stop(undefined),
    });
  }

  /** After a fatal error (already logged and flushed): closes the session gracefully, so the record is written, and exits 1. */
  #crash(): void {
    if (this.#state === 'exited') return;
    this.#state = 'exited';
    this.#resources.dispose();
    this.#exposed.dispose();
    this.#peer.close();
    this.#environment.exit(1);
  }

  /** Stops taking calls, runs onStop (bounded by `graceMs` when given), closes the session and exits. */
  #stop(graceMs: number | undefined): Promise<void> {
    if (this.#stopping !== undefined) return this.#stopping;
    if (this.#state === 'exited') return Promise.resolve();
    this.#state = 'stopping';
    this.#exposed.dispose();
    this.#stopping = this.#runStopHook(graceMs).then((problem) => {
      this.#logging?.flush(); // what onStop logged goes out before the session closes
      this.#exit(problem === undefined ? 0 : 1, problem, undefined, true);
    });
    return this.#stopping;
  }

  async #runStopHook(graceMs: number | undefined): Promise<string | undefined> {
    const onStop = this.#options.onStop;
    if (onStop === undefined) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const overrun = new Promise<string>((resolve) => {
      if (graceMs !== undefined) {
        timer = setTimeout(
          () =>
            resolve(
              `This plugin's onStop did not finish within the host's grace of ${graceMs} ms; it exits anyway.`,
            ),
          graceMs,
        );
      }
    });
    try {
      return await Promise.race([
        Promise.resolve()
          .then(onStop)
          .then(() => undefined),
        overrun,
      ]);
    } catch (error) {
      return `This plugin's onStop failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    } finally {
      clearTimeout(timer);
    }
  }

  #cookieProblem(): string {
    const { cookieKey } = this.#options.handshake;
    return `This plugin was not started by its app: the magic cookie ${cookieKey} is ${this.#environment.env[cookieKey] === undefined ? 'not set' : 'not the expected value'}. Start it from the app that uses it.`;
  }

  #send(message: HandshakeMessage): void {
    if (this.#channel.writable) this.#channel.send(encodeHandshakeMessage(message));
  }

  /**
   * Exits once: writes `reason` (a sentence) to stderr, releases everything, calls exit. While a stop runs,
   * only the stop itself (`fromStop`) exits.
   */
  #exit(
    code: number,
    reason?: string,
    errorCode: TetherErrorCode = 'HANDSHAKE_FAILED',
    fromStop = false,
  ): void {
    if (this.#state === 'exited' || (this.#state === 'stopping' && !fromStop)) return;
    const wasWaiting = this.#state === 'waiting';
    this.#state = 'exited';
    if (reason !== undefined) this.#environment.writeStderr(`${reason}\n`);
    this.#resources.dispose();
    this.#exposed.dispose();
    if (code === 0) this.#peer.close();
    else this.#peer.dispose();
    this.#logging = undefined;
    if (wasWaiting) this.#started.reject(new TetherError(errorCode, reason ?? 'The plugin could not start.'));
    this.#environment.exit(code);
  }
}
