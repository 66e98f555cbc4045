import type { Disposable } from '../common/disposable.js';
import type { Event } from '../common/event.js';
import { TetherError } from '../errors/tether-error.js';
import type { CallOptions, Remote } from './remote-types.js';
import type { MethodOptions, ServiceDefinition } from './service.js';

/** What a remote needs from its peer. */
export interface RemoteOwner {
  call(
    target: string | number,
    method: string,
    args: unknown[],
    options: CallOptions | undefined,
    declared: MethodOptions | undefined,
  ): Promise<unknown>;
  subscribe(service: string, event: string, listener: (payload: unknown) => void): Disposable;
  release(referenceId: number, remote: object): void;
  /** True when `remote` was made by this owner (so it can be sent back as a returned reference). */
  readonly id: object;
}

/** What a remote is, kept out of sight of the caller's object. */
export interface RemoteInfo {
  readonly owner: RemoteOwner;
  readonly target: string | number;
  readonly methods: readonly string[];
  readonly events: readonly string[];
  readonly isFunction: boolean;
  /** Options the service declares per method (timeouts, notifications); empty for references. */
  readonly declared: ReadonlyMap<string, MethodOptions>;
  released: boolean;
  /** The first remote built for this info; views made by withCallOptions keep it alive through this. */
  root?: object;
}

const infos = new WeakMap<object, RemoteInfo>();
const noOptions: ReadonlyMap<string, MethodOptions> = new Map();

/** Details of a remote made by Tether, or undefined for any other value. */
export function remoteInfo(value: object): RemoteInfo | undefined {
  return infos.get(value);
}

/** The caller's object for a declared service: one plain function per declared method, one Event per event. */
export function createServiceRemote<T>(owner: RemoteOwner, service: ServiceDefinition<T>): Remote<T> {
  const info: RemoteInfo = {
    owner,
    target: service.name,
    methods: [...service.methods.keys()],
    events: [...service.events],
    isFunction: false,
    declared: service.methods,
    released: false,
  };
  return build(info, undefined) as Remote<T>;
}

/** The caller's function for a function the peer passed by reference. */
export function createFunctionRemote(
  owner: RemoteOwner,
  referenceId: number,
): (...args: unknown[]) => Promise<unknown> {
  const info: RemoteInfo = {
    owner,
    target: referenceId,
    methods: [],
    events: [],
    isFunction: true,
    declared: noOptions,
    released: false,
  };
  return build(info, undefined) as (...args: unknown[]) => Promise<unknown>;
}

/** The caller's object for an object the peer passed by reference: exactly its methods. */
export function createObjectRemote(
  owner: RemoteOwner,
  referenceId: number,
  methods: readonly string[],
): object {
  const info: RemoteInfo = {
    owner,
    target: referenceId,
    methods,
    events: [],
    isFunction: false,
    declared: noOptions,
    released: false,
  };
  return build(info, undefined);
}

/**
 * The same remote with options applied to every call made through it (timeout, AbortSignal):
 * `await withCallOptions(greeter, { timeout: 500 }).greet('x')`.
 */
export function withCallOptions<R extends object>(remote: R, options: CallOptions): R {
  const info = infos.get(remote);
  if (info === undefined) {
    throw new TetherError(
      'INVALID_OPTIONS',
      'withCallOptions() takes a remote made by Tether (a Remote<T> or remote function).',
    );
  }
  return build(info, options) as R;
}

/**
 * Releases a remote reference now instead of waiting for garbage collection: the peer drops its entry,
 * and later calls through this remote reject with REFERENCE_RELEASED. Service remotes need no release.
 */
export function releaseRemote(remote: object): void {
  const info = infos.get(remote);
  if (info === undefined || info.released || typeof info.target !== 'number') return;
  info.released = true;
  info.owner.release(info.target, info.root ?? remote);
}

function build(info: RemoteInfo, options: CallOptions | undefined): object {
  const { owner, target } = info;
  const invoke = (method: string, args: unknown[]): Promise<unknown> => {
    if (info.released) {
      return Promise.reject(
        new TetherError(
          'REFERENCE_RELEASED',
          'This remote was released with releaseRemote(); it cannot be called any more.',
        ),
      );
    }
    return owner.call(target, method, args, options, info.declared.get(method));
  };
  let remote: object;
  if (info.isFunction) {
    remote = (...args: unknown[]) => invoke('', args);
  } else {
    const members: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const method of info.methods) members[method] = (...args: unknown[]) => invoke(method, args);
    for (const event of info.events) {
      const subscribe: Event<unknown> = (listener) => owner.subscribe(String(target), event, listener);
      members[event] = subscribe;
    }
    remote = Object.freeze(members);
  }
  infos.set(remote, info);
  info.root ??= remote;
  return remote;
}
