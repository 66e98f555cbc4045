import { TetherError, implement, type ServiceBinding } from '@tether/sdk';
import type { InstallProgress } from '../install/extension-installer.js';
import type { LogFilter } from '../logging/log-filter.js';
import type { HostLogRecord } from '../logging/log-record.js';
import type { LogStore } from '../logging/log-store.js';
import type { ExtensionHostManager } from './extension-host-manager.js';
import { managerApi, type InstallRequestOptions, type UploadRequestOptions } from './manager-api.js';
import { PushIterator } from './push-iterator.js';
import { followTerminal } from './terminal-stream.js';
import { checkUploadName, checkUploadSignature, receiveUpload, type UploadData } from './uploaded-package.js';
import type { ExtensionStats } from './stats-monitor.js';

/** The manager served as `ManagerApi`, for `peer.expose` / a binding list (the control socket, a UI bridge). */
export function managerApiBinding(manager: ExtensionHostManager): ServiceBinding {
  return implement(managerApi, {
    list: () => manager.list(),
    get: (id) => manager.get(id),
    start: (id) => manager.start(id),
    stop: (id) => manager.stop(id),
    restart: (id) => manager.restart(id),
    enable: (id) => manager.enable(id),
    disable: (id) => manager.disable(id),
    rescan: () => manager.rescan(),
    commands: () => manager.commands(),
    executeCommand: (id, args) => manager.executeCommand(id, ...args),
    grant: (id, hostApi) => manager.grant(id, hostApi),
    revoke: (id, hostApi) => manager.revoke(id, hostApi),
    queryLogs: (query) => manager.logStore.query(query),
    followLogs: (filter) => followLogs(manager.logStore, filter),
    setTracing: (on, extension) => setTracing(manager, on, extension),
    tracing: () => ({ all: manager.logStore.tracing, extensions: manager.logStore.tracedExtensions }),
    traces: (query) => manager.logStore.query({ ...query, scope: 'rpc' }),
    stats: () => manager.stats(),
    followStats: () => followStats(manager),
    audit: (query) => manager.audit(query),
    install: (source, options) => installProgress(manager, source, options),
    installPackage: (fileName, data, options) => uploadProgress(manager, fileName, data, options),
    uninstall: async (id, options) => {
      const purge = (options as { purge?: unknown } | undefined)?.purge;
      if (purge !== undefined && typeof purge !== 'boolean') {
        throw new TetherError('INVALID_ARGUMENT', 'uninstall: options.purge must be true or false.');
      }
      await manager.uninstall(id, purge === undefined ? {} : { purge });
    },
    followTerminal: (id) => followTerminal(manager.terminal(id)),
    writeTerminal: (id, data) => {
      if (typeof data !== 'string')
        throw new TetherError('INVALID_ARGUMENT', 'writeTerminal: the data must be a string.');
      manager.terminal(id).write(data);
    },
    resizeTerminal: (id, size) => manager.terminal(id).resize(size),
    onDidChangeState: manager.onDidChangeState,
    onDidChangeExtensions: manager.onDidChangeExtensions,
    onDidChangeGrants: manager.onDidChangeGrants,
  });
}

function setTracing(manager: ExtensionHostManager, on: unknown, extension: unknown): void {
  if (typeof on !== 'boolean')
    throw new TetherError('INVALID_ARGUMENT', 'setTracing: the first argument must be true or false.');
  if (extension === undefined) {
    manager.logStore.tracing = on;
    return;
  }
  if (typeof extension !== 'string')
    throw new TetherError('INVALID_ARGUMENT', 'setTracing: the extension must be an id (a string).');
  manager.get(extension); // EXTENSION_NOT_FOUND for an unknown one
  manager.logStore.traceExtension(extension, on);
}

/**
 * `installProgress` for bytes the caller sends: `download` items while they arrive (written to a private
 * upload folder), then the install's own steps; the upload is removed when the install ends.
 */
async function* uploadProgress(
  manager: ExtensionHostManager,
  fileName: string,
  data: UploadData,
  options: UploadRequestOptions,
): AsyncGenerator<InstallProgress, void, undefined> {
  const name = checkUploadName(fileName);
  const given = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const signature = checkUploadSignature(given['signature']);
  const size = given['size'];
  const expectedBytes =
    typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : undefined;
  const { allowUnsigned, force } = given;
  let receiving: Promise<{ file: string; remove: () => Promise<void> }> | undefined;
  let installing = false;
  try {
    const upload = yield* progressOf((onProgress) => {
      receiving = receiveUpload(manager.dataFolder, name, data, onProgress, {
        ...(expectedBytes === undefined ? {} : { expectedBytes }),
        ...(signature === undefined ? {} : { signature }),
      });
      return receiving;
    });
    installing = true;
    yield* installProgress(
      manager,
      upload.file,
      { allowUnsigned, force } as InstallRequestOptions,
      upload.remove,
    );
  } finally {
    // A reader that left during the upload: the upload is removed once it has ended (the install removes
    // it itself once it has ended).
    if (!installing)
      void receiving?.then(
        (upload) => upload.remove(),
        () => undefined,
      );
  }
}

/**
 * The store's live records as an async iterable of batches. The subscription's listener is held (its
 * promise pending) until the reader has taken the batch, so a slow reader makes the store queue, then drop
 * and count, for this reader only ("suppressed N records" follows); the plugins are never slowed.
 */
export function followLogs(
  store: LogStore,
  filter: LogFilter,
): AsyncIterableIterator<readonly HostLogRecord[]> {
  return new PushIterator<readonly HostLogRecord[]>((push) =>
    store.subscribe(filter, (records) => new Promise<void>((taken) => push([...records], taken))),
  );
}

/** Resource samples while the reader reads; a reader slower than the sampling gets the latest sample. */
function followStats(manager: ExtensionHostManager): AsyncIterableIterator<readonly ExtensionStats[]> {
  return new PushIterator<readonly ExtensionStats[]>((push) => manager.watchStats((stats) => push(stats)));
}

/**
 * `manager.install(source, options)` as a stream of its progress, ending with the `done` item; a refused or
 * failed install fails the stream with its error. The install starts at the first `next()` and runs to its
 * end whatever the reader does (it always progresses: each step, the download included, ends or times out,
 * so a reader that leaves is let go at the next step). Steps are never dropped; consecutive `download`
 * items waiting for a slow reader are merged into the latest. Only `allowUnsigned` and `force` are taken
 * from `options` (they may come from a remote caller, whose callbacks must not reach the installer).
 */
export async function* installProgress(
  manager: ExtensionHostManager,
  source: string,
  options: InstallRequestOptions,
  /** Runs once the install has ended, however it ended and whether or not anyone still reads. */
  ended: () => Promise<void> = () => Promise.resolve(),
): AsyncGenerator<InstallProgress, void, undefined> {
  const choices = installChoices(source, options);
  yield* progressOf((onProgress) =>
    manager.install(source, { ...choices, onProgress }).finally(() => ended().catch(() => undefined)),
  );
}

/**
 * Starts `work` with a progress callback and yields its progress as the reader pulls it; returns what `work`
 * returns, or throws its error, once the items before were taken. `work` runs to its end whatever the reader
 * does. Steps are never dropped; consecutive `download` items waiting for a slow reader are merged into
 * the latest.
 */
async function* progressOf<R>(
  work: (onProgress: (progress: InstallProgress) => void) => Promise<R>,
): AsyncGenerator<InstallProgress, R, undefined> {
  const queue: InstallProgress[] = [];
  let wake: (() => void) | undefined;
  let outcome: { failed: false; value: R } | { failed: true; error: unknown } | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  void work((progress) => {
    if (progress.phase === 'download' && queue.at(-1)?.phase === 'download')
      queue[queue.length - 1] = progress;
    else queue.push(progress);
    notify();
  })
    .then(
      (value) => (outcome = { failed: false, value }),
      (error: unknown) => (outcome = { failed: true, error }),
    )
    .finally(notify);
  for (;;) {
    const next = queue.shift();
    if (next !== undefined) {
      yield next;
      continue;
    }
    if (outcome?.failed === true) throw outcome.error;
    if (outcome !== undefined) return outcome.value;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

/** The caller's choices, checked: a UI's mistake is an INVALID_ARGUMENT, not a TypeError deep in the installer. */
function installChoices(source: unknown, options: unknown): InstallRequestOptions {
  if (typeof source !== 'string' || source === '') {
    throw new TetherError(
      'INVALID_ARGUMENT',
      'install: the source must be a .tgz path, an extension folder or an https:// URL (a string).',
    );
  }
  const given = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const choices: { allowUnsigned?: boolean; force?: boolean } = {};
  for (const name of ['allowUnsigned', 'force'] as const) {
    const value = given[name];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') {
      throw new TetherError('INVALID_ARGUMENT', `install: options.${name} must be true or false.`);
    }
    choices[name] = value;
  }
  return choices;
}
