import {
  TetherError,
  withCallOptions,
  type CallOptions,
  type Disposable,
  type Event,
  type Remote,
  type ServiceDefinition,
} from '@tether/sdk';
import { createServiceRemote, type RemoteOwner } from '@tether/sdk/wire';
import type { PluginClient } from '../client/plugin-client.js';

/** What a lazy remote needs from the managed extension behind it. */
export interface ActivationSource {
  /** The running client, starting the extension first when needed (bounded; rejects with the start error). */
  activate(): Promise<PluginClient>;
  /** Fires with each new client (after every start or restart), for event subscriptions to follow it. */
  readonly onDidStart: Event<PluginClient>;
  /** The current client, if running. */
  readonly client: PluginClient | undefined;
  /** A call (or a live subscription) begins / ends: the idle timer and the call counters follow these. */
  beginUse(): void;
  endUse(failed: boolean): void;
}

/**
 * A `Remote<T>` for a service of a managed extension that may not be running: every call first activates
 * the extension (starting it if needed) and is held until it is ready; events subscribed to are followed
 * across restarts. Call options (`withCallOptions`) apply to the call once the extension runs: a `timeout`
 * counts from then; an aborted `signal` rejects at once, held or not.
 */
export function createLazyRemote<T>(source: ActivationSource, service: ServiceDefinition<T>): Remote<T> {
  const owner: RemoteOwner = {
    id: {},
    call: (_target, method, args, options) => callWhenActive(source, service, method, args, options),
    subscribe: (_service, event, listener) => subscribeAcrossRestarts(source, service, event, listener),
    release: () => undefined,
  };
  return createServiceRemote(owner, service);
}

async function callWhenActive<T>(
  source: ActivationSource,
  service: ServiceDefinition<T>,
  method: string,
  args: unknown[],
  options: CallOptions | undefined,
): Promise<unknown> {
  source.beginUse();
  let failed = true;
  let handedOver = false;
  try {
    options?.signal?.throwIfAborted();
    const client = await abortable(source.activate(), options?.signal);
    const remote = client.dispense(service) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    const view = options === undefined ? remote : withCallOptions(remote, options);
    const result = await view[method]!(...args);
    failed = false;
    if (!isAsyncIterable(result)) return result;
    // A stream: the extension is in use until it is read to the end (or abandoned), not idle meanwhile.
    handedOver = true;
    return inUseWhileRead(result, (readFailed) => source.endUse(readFailed));
  } finally {
    if (!handedOver) source.endUse(failed);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

/**
 * `stream`, calling `end` once when its reader is done with it: the last item read, `return()` (a `break`
 * out of `for await`) or an error.
 */
function inUseWhileRead(
  stream: AsyncIterable<unknown>,
  end: (failed: boolean) => void,
): AsyncIterableIterator<unknown> {
  let iterator: AsyncIterator<unknown> | undefined;
  let ended = false;
  const finish = (failed: boolean): void => {
    if (ended) return;
    ended = true;
    end(failed);
  };
  const source = (): AsyncIterator<unknown> => (iterator ??= stream[Symbol.asyncIterator]());
  const reader: AsyncIterableIterator<unknown> = {
    [Symbol.asyncIterator]: () => reader,
    async next() {
      try {
        const step = await source().next();
        if (step.done === true) finish(false);
        return step;
      } catch (error) {
        finish(true);
        throw error;
      }
    },
    async return(value?: unknown) {
      try {
        return (await source().return?.(value)) ?? { done: true, value };
      } finally {
        finish(false);
      }
    },
    async throw(error?: unknown) {
      finish(true);
      if (source().throw === undefined) throw error;
      return source().throw!(error);
    },
  };
  return reader;
}

function subscribeAcrossRestarts<T>(
  source: ActivationSource,
  service: ServiceDefinition<T>,
  event: string,
  listener: (payload: unknown) => void,
): Disposable {
  let current: Disposable | undefined;
  let disposed = false;
  const attach = (client: PluginClient): void => {
    current?.dispose();
    if (disposed || !client.services.includes(service.name)) return;
    const remote = client.dispense(service) as unknown as Record<string, Event<unknown>>;
    current = remote[event]!(listener);
  };
  source.beginUse();
  const started = source.onDidStart(attach);
  if (source.client !== undefined) attach(source.client);
  // Subscribing is a use: it starts an on-demand extension. A failed start is in the extension's state.
  else source.activate().catch(() => undefined);
  return {
    dispose: () => {
      if (disposed) return;
      disposed = true;
      started.dispose();
      current?.dispose();
      source.endUse(false);
    },
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(
        new TetherError('ABORTED', 'The call was aborted while its extension was starting.', {
          cause: signal.reason,
        }),
      );
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
