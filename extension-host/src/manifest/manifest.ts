/**
 * The extension manifest: the `tether` section of an extension's `package.json`, validated.
 *
 * ```json
 * { "name": "@acme/kv", "version": "1.2.0",
 *   "tether": { "entry": "dist/plugin.js", "runner": "node", "services": { "kv": [1, 2] },
 *               "host": ">=0.1.0 <2", "hostApis": ["storage"], "displayName": "Key-value store",
 *               "activation": "onDemand", "idleTimeoutSeconds": 300,
 *               "crashLimit": { "count": 3, "windowSeconds": 300 },
 *               "contributes": { "commands": [{ "id": "kv.clear", "title": "Clear the store" }] } } }
 * ```
 *
 * Every field is described in docs/manifest.md.
 */

/** How an extension's entry is started. */
export const runnerKinds = ['utility', 'node', 'pty', 'executable'] as const;

/**
 * - `node`: a JavaScript (or, in development, TypeScript) entry for a Node runtime. The portable default:
 *   the `tether` CLI and Node hosts run it in a `child_process`; the Electron app may place it in a
 *   `utilityProcess` instead, since the SDK serves over either.
 * - `utility`: needs Electron's `utilityProcess` (uses Electron APIs); only the Electron app can run it.
 * - `pty`: a Node entry run inside a pseudo-terminal (node-pty), for extensions that need a real TTY.
 * - `executable`: the entry is a program in any language that speaks the Tether wire protocol.
 */
export type RunnerKind = (typeof runnerKinds)[number];

/**
 * The runner used when the manifest names none. `node` rather than `utility`: a manifest is read by every
 * host (the app, the CLI, tests), and `utility` would make a plain extension unrunnable outside Electron.
 * The app is still free to run `node` extensions in a `utilityProcess`.
 */
export const DEFAULT_RUNNER: RunnerKind = 'node';

/**
 * When the manager starts an extension:
 * - `onDemand`: at its first use (a call to one of its services, one of its commands); stopped again after
 *   `idleTimeoutSeconds` without use, when the manifest gives one.
 * - `startup`: when the manager starts, and kept running.
 */
export const activationKinds = ['startup', 'onDemand'] as const;

export type ActivationKind = (typeof activationKinds)[number];

/** The activation used when the manifest names none: an extension costs nothing until it is used. */
export const DEFAULT_ACTIVATION: ActivationKind = 'onDemand';

/** Keys allowed in the `tether` section of package.json (anything else is reported, with "did you mean"). */
export const manifestKeys = [
  'entry',
  'runner',
  'services',
  'host',
  'hostApis',
  'displayName',
  'sha256',
  'handshake',
  'activation',
  'idleTimeoutSeconds',
  'crashLimit',
  'contributes',
  'requires',
] as const;

/** Keys allowed in `tether.crashLimit`. */
export const crashLimitKeys = ['count', 'windowSeconds'] as const;

/** Keys allowed in `tether.contributes`. */
export const contributesKeys = ['commands'] as const;

/** Keys allowed in each of `tether.contributes.commands`. */
export const commandKeys = ['id', 'title', 'arguments'] as const;

/**
 * A command the extension contributes (`tether.contributes.commands`), for a command palette. The plugin
 * registers its handler with `serve({ commands: { [id]: handler } })`; the host runs it through the
 * `tether.commands` service (`commandService` of `@tether/sdk`).
 */
export interface ManifestCommand {
  /** Unique within the manifest; letters, digits, '.', '_' or '-', starting with a letter (`kv.clear`). */
  readonly id: string;
  /** What people see, one line (`Clear the store`). */
  readonly title: string;
  /** A description of the arguments the command takes, for people (`<prefix> — only keys starting with it`). */
  readonly arguments?: string;
}

/** The manager restarts the extension after up to `count` crashes within `windowMs`; one more marks it failed. */
export interface CrashLimit {
  readonly count: number;
  readonly windowMs: number;
}

export interface ExtensionManifest {
  /** npm package name, e.g. `@acme/kv`. Identifies the extension. */
  readonly name: string;
  /** The package's semantic version. */
  readonly version: string;
  /** Human-readable name for the UI; the package name when the manifest gives none. */
  readonly displayName: string;
  /** Path of the entry inside the package, relative, with `/` separators and no `./` prefix. */
  readonly entry: string;
  readonly runner: RunnerKind;
  /** Service name → the app protocol versions the extension provides for it (ascending, no duplicates). */
  readonly services: ReadonlyMap<string, readonly number[]>;
  /** Semver range (npm syntax) of the Tether host versions the extension works with, as written. */
  readonly host: string;
  /** Host API capabilities the extension asks for; it gets only these. Empty when none. */
  readonly hostApis: readonly string[];
  /** SHA-256 of the entry file, lowercase hex; checked at launch when present. */
  readonly sha256?: string;
  /**
   * The magic cookie of the app the extension is built for (`{ cookieKey, cookieValue }`, as in its
   * contract module). Apps check it against their own; the `tether` CLI uses it to start the extension.
   */
  readonly handshake?: { readonly cookieKey: string; readonly cookieValue: string };
  /** When the manager starts the extension (`tether.activation`); `onDemand` unless the manifest says otherwise. */
  readonly activation: ActivationKind;
  /**
   * How long an `onDemand` extension may go unused before the manager stops it, in **milliseconds**
   * (the manifest's `idleTimeoutSeconds` × 1000, rounded, at least 1). Absent: it is not stopped for idleness.
   */
  readonly idleTimeoutMs?: number;
  /** This extension's own crash limit (`tether.crashLimit`, its window in ms); absent: the manager's default. */
  readonly crashLimit?: CrashLimit;
  /** The commands it contributes (`tether.contributes.commands`), in manifest order. Empty when none. */
  readonly commands: readonly ManifestCommand[];
  /**
   * Services of other extensions this one needs: service name → semver range of its protocol version
   * (`^2` is met by an extension that serves the service at protocol version 2). Empty when none.
   */
  readonly requires: ReadonlyMap<string, string>;
  /** Where the manifest was read from (the package.json path, or a label), for messages. */
  readonly source: string;
}
