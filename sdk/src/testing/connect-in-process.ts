// `connectInProcess()`: a plugin's services and a host in one process, over the real wire protocol, for an
// extension author's unit tests (go-plugin's TestPluginRPCConn, for TypeScript).
import { DisposableStore } from '../common/disposable.js';
import type { Event } from '../common/event.js';
import { TetherError } from '../errors/tether-error.js';
import { captureConsole } from '../logging/console-capture.js';
import type { LogRecord } from '../logging/log-record.js';
import { createLogger, setLogSink } from '../logging/logger.js';
import { MuxSession } from '../mux/mux-session.js';
import type { MuxSessionOptions } from '../mux/mux-types.js';
import { bindCommands, type CommandHandlers } from '../plugin/command-service.js';
import type { PluginContext } from '../plugin/serve-options.js';
import { implement, type ServiceBinding } from '../plugin/service-binding.js';
import type { Remote } from '../rpc/remote-types.js';
import { RpcPeer } from '../rpc/rpc-peer.js';
import type { ServiceDefinition } from '../rpc/service.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { LogCapture } from './log-capture.js';

/**
 * What a plugin's code gets from its side of the connection: `serve()`'s {@link PluginContext}, so an
 * implementation that calls the host is built the same way in a test and in the plugin:
 * `serve({ services: (plugin) => [implement(x, createX(plugin))] })` there, `connectInProcess(x, createX)`
 * here.
 */
export type InProcessPluginContext = PluginContext;

/** Makes a service's implementation from the plugin's side of the connection (may be async). */
export type ImplementationFactory<T> = (plugin: InProcessPluginContext) => T | Promise<T>;

/** What a test sets up around the plugin: the host's services, the plugin's other services, commands, limits. */
export interface ConnectInProcessOptions {
  /** Services the host provides to the plugin (`implement(service, fake)`), called with `plugin.host(service)`. */
  readonly hostServices?: readonly ServiceBinding[];
  /** More services the plugin serves besides the first, each called with `dispense(service)`. */
  readonly services?:
    readonly ServiceBinding[] | ((plugin: InProcessPluginContext) => readonly ServiceBinding[]);
  /**
   * The plugin's commands, as `serve({ commands })` takes them: served as the `tether.commands` service,
   * run with `dispense(commandService).execute(id, args)`.
   */
  readonly commands?: CommandHandlers;
  /** Runs first when the connection is disposed, as `serve({ onStop })` runs when the host stops the plugin. */
  readonly onStop?: () => void | Promise<void>;
  /** Default timeout of the host's calls in ms (0 = none, the default). `withCallOptions` overrides it. */
  readonly timeout?: number;
  /**
   * Also capture `console.log/info/debug/trace/warn/error` as records of scope "console", as `serve()` does
   * in a plugin process (default false: the test runner's console stays as it is). Restored on dispose.
   */
  readonly captureConsole?: boolean;
  /** The plugin's name in error messages ('plugin "<name>"'); default the first service's name. */
  readonly name?: string;
  /** Limits of the connection (`maxMessageSize`, `channelWindow`…), the same on both sides. */
  readonly mux?: Omit<MuxSessionOptions, 'role'>;
}

/** A plugin connected to a host in this process. Dispose it after the test (or `await using`). */
export interface InProcessPlugin<T> {
  /** The plugin's service, as a host calls it: every method returns a promise; events and streams cross. */
  readonly remote: Remote<T>;
  /** Any other service the plugin serves (`options.services`, the `commandService`), as a host calls it. */
  dispense<S>(service: ServiceDefinition<S>): Remote<S>;
  /**
   * The plugin's log records as a host receives them, oldest first: what it logged with the sdk's `log` (or
   * any logger made by `createLogger` without its own sink), with the context's `log`, and its console when
   * `captureConsole`. A live array; `clearLogs()` empties it. While several connections are open, the sdk's
   * `log` writes to the newest one.
   */
  readonly logs: readonly LogRecord[];
  /** Fires with each record as the plugin logs it. */
  readonly onDidLog: Event<LogRecord>;
  /** Empties `logs`. */
  clearLogs(): void;
  /** The host's end of the connection (stats, `onDidClose`, `ping`…). */
  readonly hostPeer: RpcPeer;
  /** The plugin's end of the connection. */
  readonly pluginPeer: RpcPeer;
  /**
   * Runs `onStop`, then closes both ends: calls still pending reject with CONNECTION_CLOSED and running
   * handlers' `currentCall().signal` aborts; the log sink (and console capture) is removed. Idempotent;
   * rejects with `onStop`'s error after closing when it fails.
   */
  dispose(): Promise<void>;
  /** `dispose()`, for `await using plugin = await connectInProcess(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Connects a plugin's service to a host in this process, over the real wire protocol (mux, codec, RPC, in
 * memory): what a test of a plugin needs, without a process. Calls, errors (name, code, cause), Map/Date/
 * BigInt values, events, streams, callbacks and objects passed with `proxy()`, cancellation and call
 * acknowledgements all behave as across a process boundary; the plugin's log records are captured.
 *
 * `implementation` is the service's implementation, or a function that makes it from the plugin's side of
 * the connection ({@link InProcessPluginContext}: `host(service)`, `log`) — for one that calls the host.
 *
 * ```ts
 * import { implement } from '@tether/sdk';
 * import { connectInProcess } from '@tether/sdk/testing';
 *
 * test('greets, with the title the host keeps', async () => {
 *   const plugin = await connectInProcess(greeter, ({ host }) => createGreeter(host(settings)), {
 *     hostServices: [implement(settings, { title: () => 'Dr' })],
 *   });
 *   try {
 *     expect(await plugin.remote.greet('Ada')).toBe('Hello, Dr Ada!');
 *     expect(plugin.logs).toContainEqual(expect.objectContaining({ level: 'info', message: 'greeted' }));
 *   } finally {
 *     await plugin.dispose();
 *   }
 * });
 * ```
 *
 * Commands (`options.commands`) run through `dispense(commandService).execute(id, args)`. Cancel a call as a
 * host would, `withCallOptions(plugin.remote, { signal })`; the handler learns it from `currentCall().signal`.
 *
 * @throws TetherError INVALID_OPTIONS (rejected) for an implementation that lacks a declared method, a
 * service served twice or a bad option, saying which; the factory's own error when it fails.
 */
export async function connectInProcess<T>(
  service: ServiceDefinition<T>,
  implementation: NoInfer<T> | ImplementationFactory<NoInfer<T>>,
  options: ConnectInProcessOptions = {},
): Promise<InProcessPlugin<T>> {
  checkOptions(options);
  const name = options.name ?? service.name;
  const capture = new LogCapture();
  const store = new DisposableStore();
  store.add(capture);
  const [hostTransport, pluginTransport] = createMemoryTransportPair();
  const mux = options.mux ?? {};
  // As after a handshake: the plugin acknowledges calls, the host tracks its responsiveness.
  const hostPeer = new RpcPeer(new MuxSession(hostTransport, { ...mux, role: 'initiator' }), {
    peerName: `plugin "${name}"`,
    expectAcks: true,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  });
  const pluginPeer = new RpcPeer(new MuxSession(pluginTransport, { ...mux, role: 'acceptor' }), {
    peerName: 'the host',
    sendAcks: true,
  });
  store.add({
    dispose: () => {
      hostPeer.dispose();
      pluginPeer.dispose();
    },
  });
  store.add(setLogSink(capture.sink));
  if (options.captureConsole === true) store.add(captureConsole(capture.sink));
  try {
    for (const binding of options.hostServices ?? []) {
      hostPeer.expose(binding.definition, binding.implementation);
    }
    const context: InProcessPluginContext = {
      host: (hostService) => pluginPeer.remote(hostService),
      log: createLogger('', capture.sink),
    };
    const made =
      typeof implementation === 'function'
        ? await (implementation as ImplementationFactory<T>)(context)
        : implementation;
    const bindings = [
      implement(service, made),
      ...(typeof options.services === 'function' ? options.services(context) : (options.services ?? [])),
      ...(options.commands === undefined ? [] : [bindCommands(options.commands)]),
    ];
    for (const binding of bindings) pluginPeer.expose(binding.definition, binding.implementation);
  } catch (error) {
    store.dispose();
    throw error;
  }
  let disposing: Promise<void> | undefined;
  const dispose = (): Promise<void> => {
    disposing ??= (async () => {
      try {
        await options.onStop?.();
      } finally {
        store.dispose();
      }
    })();
    return disposing;
  };
  return {
    remote: hostPeer.remote(service),
    dispense: (other) => hostPeer.remote(other),
    get logs() {
      return capture.records;
    },
    onDidLog: capture.onDidLog,
    clearLogs: () => capture.clear(),
    hostPeer,
    pluginPeer,
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}

function checkOptions(options: ConnectInProcessOptions): void {
  if (typeof options !== 'object' || options === null) {
    invalid('options must be an object, like { hostServices: [implement(service, fake)] }');
  }
  for (const key of ['hostServices', 'services'] as const) {
    const value = options[key];
    if (value === undefined || (key === 'services' && typeof value === 'function')) continue;
    if (!Array.isArray(value)) invalid(`${key} must be an array of implement(service, implementation)`);
    for (const binding of value as readonly (ServiceBinding | undefined)[]) {
      if (typeof binding?.definition?.name !== 'string' || binding.implementation == null) {
        invalid(`${key} lists something that is not made by implement(service, implementation)`);
      }
    }
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    invalid('name must be a non-empty string');
  }
  if (options.onStop !== undefined && typeof options.onStop !== 'function') {
    invalid('onStop must be a function');
  }
}

function invalid(what: string): never {
  throw new TetherError('INVALID_OPTIONS', `connectInProcess(): ${what}.`);
}
