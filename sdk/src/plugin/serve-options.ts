// What a plugin passes to `serve()`, what it gets back, and the validation of the options.
import { COMMAND_SERVICE_NAME } from '../constants.js';
import { TetherError } from '../errors/tether-error.js';
import type { MuxSessionOptions } from '../mux/mux-types.js';
import type { Remote } from '../rpc/remote-types.js';
import type { RpcPeer } from '../rpc/rpc-peer.js';
import type { ServiceDefinition } from '../rpc/service.js';
import type { Logger } from '../logging/logger.js';
import type { PluginLoggingOptions } from '../logging/plugin-logging.js';
import { bindCommands, type CommandHandlers } from './command-service.js';
import type { ServiceBinding } from './service-binding.js';

/** The app's magic cookie, shared by the app and its plugins in their contract module (protocol.md 5.1). */
export interface HandshakeConfig {
  /** Name of the environment variable the host sets. */
  readonly cookieKey: string;
  /** The value it holds. Not a secret: it says "an app that uses Tether started you". */
  readonly cookieValue: string;
}

/**
 * The plugin's side of the connection, for building services that call the host or log:
 * `serve({ services: (plugin) => [implement(notes, createNotes(plugin))] })`. The same shape as the
 * context `connectInProcess` (`@tether/sdk/testing`) gives, so one `createNotes(plugin)` serves in both.
 */
export interface PluginContext {
  /** Calls a service the host provides to this plugin (usable from the first call the host makes). */
  host<T>(service: ServiceDefinition<T>): Remote<T>;
  /** The plugin's root logger: its records go to the host once the plugin is running. */
  readonly log: Logger;
}

/** Builds the services from the plugin's side of the connection (called once, before the handshake). */
export type ServicesFactory = (plugin: PluginContext) => readonly ServiceBinding[];

export interface ServeOptions {
  readonly handshake: HandshakeConfig;
  /**
   * The services served, at app protocol version 1: bindings, or a function that builds them from the
   * plugin's side of the connection ({@link PluginContext}: `host()`, `log`). Give this or
   * `versionedServices`, not both.
   */
  readonly services?: readonly ServiceBinding[] | ServicesFactory;
  /** The services served at each app protocol version; the host picks the newest version it supports too. */
  readonly versionedServices?: Readonly<Record<number, readonly ServiceBinding[]>>;
  /**
   * Commands the plugin contributes (listed in its manifest's `contributes.commands`): command id (like
   * `kv.clear`: letters, digits, '.', '_', '-', starting with a letter) → handler. When given, the plugin
   * also serves the built-in `tether.commands` service (`commandService`) at every version it serves; the
   * host runs a command with `execute(id, args)`, and the handler receives `args` spread.
   */
  readonly commands?: CommandHandlers;
  /** Runs when the host asks the plugin to stop (bounded by the host's grace), before the plugin exits 0. */
  readonly onStop?: () => void | Promise<void>;
  /** Ends the process (default `process.exit`); tests pass their own. */
  readonly exit?: (code: number) => never;
  /**
   * Logging (protocol.md 5.4): after READY the plugin's records go to the host on `tether.logs`. Under
   * `serve()`, `console.*` is captured (and not written to stdout/stderr unless `mirrorConsole`) — except when
   * stdout is a terminal, as under the pty runner, where the console is the user's — and uncaught exceptions /
   * unhandled rejections are logged, flushed and exit 1; under `servePlugin()` both are off unless enabled
   * here.
   */
  readonly logging?: PluginLoggingOptions;
  /**
   * Limits of the connection (`maxMessageSize`, `maxReassemblyBytes`, `channelWindow`…). The host must
   * use the same `maxFrameSize`; a message over the host's `maxMessageSize` closes the connection.
   */
  readonly mux?: Omit<MuxSessionOptions, 'role'>;
}

/** A running plugin. */
export interface ServeHandle {
  /** The RPC peer connected to the host. */
  readonly peer: RpcPeer;
  /** The negotiated app protocol version. */
  readonly version: number;
  /** The plugin's root logger: its records go to this host on `tether.logs`. */
  readonly log: Logger;
  /** Calls a service the host provides to this plugin. */
  host<T>(service: ServiceDefinition<T>): Remote<T>;
  /** Stops as if the host had sent STOP (without a time bound): stops serving, runs onStop, closes, exits 0. */
  stop(): Promise<void>;
}

/** The validated services: each app protocol version → its bindings. */
export type ServedVersions = ReadonlyMap<number, readonly ServiceBinding[]>;

/**
 * Checks `options`; throws TetherError('INVALID_OPTIONS') saying what to fix. A `services` function is
 * called with `plugin`, and its bindings checked; without `plugin` it is not called (an early check of
 * the other options) and version 1 has no bindings yet.
 */
export function resolveServedVersions(options: ServeOptions, plugin?: PluginContext): ServedVersions {
  const { handshake, versionedServices, commands } = options;
  const services =
    typeof options.services === 'function' ? servicesOf(options.services, plugin) : options.services;
  if (typeof handshake !== 'object' || handshake === null) {
    problem('handshake is required: pass the { cookieKey, cookieValue } of the app’s contract module');
  }
  if (typeof handshake.cookieKey !== 'string' || handshake.cookieKey === '') {
    problem('handshake.cookieKey must be a non-empty string');
  }
  if (typeof handshake.cookieValue !== 'string' || handshake.cookieValue === '') {
    problem('handshake.cookieValue must be a non-empty string');
  }
  if ((services === undefined) === (versionedServices === undefined)) {
    problem('give exactly one of services (served as version 1) and versionedServices');
  }
  const entries: [string, readonly ServiceBinding[]][] =
    services !== undefined ? [['1', services]] : Object.entries(versionedServices ?? {});
  if (entries.length === 0) problem('versionedServices must serve at least one version');
  const versions = new Map<number, readonly ServiceBinding[]>();
  for (const [key, bindings] of entries) {
    if (!/^[1-9][0-9]{0,8}$/.test(key))
      problem(`versionedServices keys must be positive integers, got "${key}"`);
    if (!Array.isArray(bindings))
      problem(`the services of version ${key} must be an array of implement(…) bindings`);
    const names = new Set<string>();
    for (const binding of bindings as readonly (ServiceBinding | undefined)[]) {
      if (typeof binding?.definition?.name !== 'string' || binding.implementation == null) {
        problem(`version ${key} lists something that is not made by implement(service, implementation)`);
      }
      if (binding.definition.name === COMMAND_SERVICE_NAME) {
        problem(
          `version ${key} lists a service named "${COMMAND_SERVICE_NAME}", a name reserved for the built-in commands service; rename the service, or pass command handlers as serve({ commands })`,
        );
      }
      if (names.has(binding.definition.name))
        problem(`version ${key} lists service "${binding.definition.name}" twice`);
      names.add(binding.definition.name);
    }
    versions.set(Number(key), bindings);
  }
  if (commands === undefined) return versions;
  // The built-in commands service, at every version: the host runs commands whatever version it negotiated.
  const commandBinding = bindCommands(commands);
  return new Map([...versions].map(([version, bindings]) => [version, [...bindings, commandBinding]]));
}

function servicesOf(factory: ServicesFactory, plugin: PluginContext | undefined): readonly ServiceBinding[] {
  if (plugin === undefined) return [];
  let bindings: readonly ServiceBinding[];
  try {
    bindings = factory(plugin);
  } catch (error) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `serve(): the services function threw: ${(error as Error).message}. It builds the services; it must not fail.`,
      { cause: error },
    );
  }
  if (bindings instanceof Promise) {
    problem(
      'the services function returned a promise: it must return the bindings at once (do asynchronous set-up in the services’ methods, or before serve())',
    );
  }
  return bindings;
}

function problem(what: string): never {
  throw new TetherError('INVALID_OPTIONS', `serve(): ${what}.`);
}
