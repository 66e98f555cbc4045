import os from 'node:os';
import path from 'node:path';
import { TetherError, type HandshakeConfig, type ServiceBinding } from '@tether/sdk';
import {
  DEFAULT_ACTIVATION_TIMEOUT_MS,
  DEFAULT_STATS_INTERVAL_MS,
  DISCOVERY_DEBOUNCE_MS,
} from '../constants.js';
import type { AppTrustedKeyConfig } from '../install/trusted-key.js';
import type { LogSink } from '../logging/log-sink.js';
import type { LogStore } from '../logging/log-store.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import type { Runner } from '../runner/runner.js';
import { resolveRestartPolicy, type RestartPolicy } from './restart-policy.js';

/** What an app gives `ExtensionHostManager.create`. Only `app` is required. */
export interface ExtensionHostManagerOptions {
  readonly app: {
    /** The app's name: names its default data folder. Letters, digits, '.', '-', '_'. */
    readonly name: string;
    /**
     * The app's magic cookie, shared with its extensions (their manifest's `tether.handshake`); an extension
     * whose manifest names another is invalid. Absent (the `tether host` CLI): each extension is started with
     * the cookie its own manifest names, and one that names none is invalid.
     */
    readonly handshake?: HandshakeConfig;
    /** Services the host offers extensions; each extension reaches only those it declares and is granted. */
    readonly hostServices?: readonly ServiceBinding[];
    /** Host APIs granted to every extension that declares them, without asking the user. Default none. */
    readonly preGrantedHostApis?: readonly string[];
    /** Publisher keys the app trusts for installs (the user may trust more: `tether trust`). */
    readonly trustedKeys?: readonly AppTrustedKeyConfig[];
  };
  /**
   * More folders of extensions — authors' development folders (each itself an extension), extensions an app
   * ships — besides `installFolder`, which is always scanned.
   */
  readonly extensionFolders?: readonly string[];
  /** Where `install()` puts extensions (`<id>/<version>/`). Default `<dataFolder>/extensions`. */
  readonly installFolder?: string;
  /** Download limits and loopback HTTP for URL installs (development servers). */
  readonly download?: {
    readonly maxBytes?: number;
    readonly timeoutMs?: number;
    readonly allowLoopbackHttp?: boolean;
  };
  /**
   * Where the manager keeps its state (enabled/disabled, grants), its log files and its control socket.
   * Default: the user's data folder for the app name (`$XDG_DATA_HOME/<app>`, `~/Library/Application
   * Support/<app>`, `%APPDATA%\<app>`).
   */
  readonly dataFolder?: string;
  /** Where extensions' log records go. Default: a new store for this manager. */
  readonly logStore?: LogStore;
  /**
   * Per-extension log files. Default: electron-log files in `<dataFolder>/logs` (`ElectronLogSink`);
   * `false` for none (an Electron app passes its own sink for `app.getPath('logs')`).
   */
  readonly logSink?: LogSink | false;
  /** The runner for an extension (the Electron app runs `node` extensions in utility processes). */
  readonly runnerFor?: (manifest: ExtensionManifest) => Runner | undefined;
  /** Supervisor: crashes tolerated per window, backoff. A manifest's `crashLimit` overrides the limit. */
  readonly restartPolicy?: Partial<RestartPolicy>;
  /** Outstanding calls unacknowledged this long (ms) make a running extension `unresponsive`. */
  readonly unresponsiveMs?: number;
  /** An extension `unresponsive` this long (ms) is killed and restarted (counts as a crash). Default: never. */
  readonly killUnresponsiveAfterMs?: number;
  /** How long `service()` holds a call while its extension starts (ms). */
  readonly activationTimeoutMs?: number;
  /** Start timeout of one extension process (ms); default the client's. */
  readonly startTimeoutMs?: number;
  /** Stop grace of one extension process (ms); default the client's. */
  readonly stopGraceMs?: number;
  /** Watch the extension folders for extensions added or removed. Default true. */
  readonly watch?: boolean;
  /** Resource sampling period while someone watches `stats` (ms). */
  readonly statsIntervalMs?: number;
  /** Extra environment variables for every extension. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ResolvedManagerOptions {
  readonly appName: string;
  readonly handshake: HandshakeConfig | undefined;
  readonly hostServices: readonly ServiceBinding[];
  readonly preGrantedHostApis: readonly string[];
  /** The install folder first, then the others. */
  readonly extensionFolders: readonly string[];
  readonly installFolder: string;
  readonly trustedKeys: readonly AppTrustedKeyConfig[];
  readonly download: {
    readonly maxBytes?: number;
    readonly timeoutMs?: number;
    readonly allowLoopbackHttp?: boolean;
  };
  readonly dataFolder: string;
  readonly restartPolicy: RestartPolicy;
  readonly unresponsiveMs: number | undefined;
  readonly killUnresponsiveAfterMs: number | undefined;
  readonly activationTimeoutMs: number;
  readonly startTimeoutMs: number | undefined;
  readonly stopGraceMs: number | undefined;
  readonly watch: boolean;
  readonly discoveryDebounceMs: number;
  readonly statsIntervalMs: number;
  readonly env: Readonly<Record<string, string>>;
  readonly runnerFor: ((manifest: ExtensionManifest) => Runner | undefined) | undefined;
}

const appNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Checks the options and fills in defaults; throws INVALID_OPTIONS saying what to fix. */
export function resolveManagerOptions(options: ExtensionHostManagerOptions): ResolvedManagerOptions {
  const { app } = options;
  if (typeof app !== 'object' || app === null) problem('app is required: { name, handshake }');
  if (typeof app.name !== 'string' || !appNamePattern.test(app.name)) {
    problem(
      `app.name must be letters, digits, '.', '-' or '_' (it names the data folder), got ${JSON.stringify(app.name)}`,
    );
  }
  const { handshake } = app;
  if (
    handshake !== undefined &&
    (typeof handshake?.cookieKey !== 'string' ||
      handshake.cookieKey === '' ||
      typeof handshake.cookieValue !== 'string' ||
      handshake.cookieValue === '')
  ) {
    problem('app.handshake must be the { cookieKey, cookieValue } of the app’s contract module');
  }
  const folders = options.extensionFolders ?? [];
  if (!Array.isArray(folders)) problem('extensionFolders must be a list of folder paths');
  for (const folder of folders) {
    if (typeof folder !== 'string' || folder === '') problem('extensionFolders must be folder paths');
  }
  const dataFolder = path.resolve(options.dataFolder ?? defaultDataFolder(app.name));
  const installFolder = path.resolve(options.installFolder ?? path.join(dataFolder, 'extensions'));
  return {
    appName: app.name,
    handshake,
    hostServices: app.hostServices ?? [],
    preGrantedHostApis: app.preGrantedHostApis ?? [],
    extensionFolders: [...new Set([installFolder, ...folders.map((folder: string) => path.resolve(folder))])],
    installFolder,
    trustedKeys: app.trustedKeys ?? [],
    download: options.download ?? {},
    dataFolder,
    restartPolicy: resolveRestartPolicy(options.restartPolicy),
    unresponsiveMs: optionalMs('unresponsiveMs', options.unresponsiveMs),
    killUnresponsiveAfterMs: optionalMs('killUnresponsiveAfterMs', options.killUnresponsiveAfterMs),
    activationTimeoutMs:
      optionalMs('activationTimeoutMs', options.activationTimeoutMs) ?? DEFAULT_ACTIVATION_TIMEOUT_MS,
    startTimeoutMs: optionalMs('startTimeoutMs', options.startTimeoutMs),
    stopGraceMs: optionalMs('stopGraceMs', options.stopGraceMs, 0),
    watch: options.watch ?? true,
    discoveryDebounceMs: DISCOVERY_DEBOUNCE_MS,
    statsIntervalMs: optionalMs('statsIntervalMs', options.statsIntervalMs) ?? DEFAULT_STATS_INTERVAL_MS,
    env: options.env ?? {},
    runnerFor: options.runnerFor,
  };
}

/**
 * The user's data folder for an app: `$XDG_DATA_HOME/<app>` (or `~/.local/share/<app>`) on Linux,
 * `~/Library/Application Support/<app>` on macOS, `%APPDATA%\<app>` on Windows — where Electron's
 * `app.getPath('userData')` points too.
 */
export function defaultDataFolder(
  appName: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = env['HOME'] ?? os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', appName);
  if (platform === 'win32')
    return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), appName);
  const xdg = env['XDG_DATA_HOME'];
  return path.join(
    xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share'),
    appName,
  );
}

function optionalMs(name: string, value: number | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < min)
    problem(`${name} must be a number of ms ≥ ${min}, got ${String(value)}`);
  return value;
}

function problem(what: string): never {
  throw new TetherError('INVALID_OPTIONS', `ExtensionHostManager: ${what}.`);
}
