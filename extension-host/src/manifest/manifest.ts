/**
 * The extension manifest: the `tether` section of an extension's `package.json`, validated.
 *
 * ```json
 * { "name": "@acme/kv", "version": "1.2.0",
 *   "tether": { "entry": "dist/plugin.js", "runner": "node", "services": { "kv": [1, 2] },
 *               "host": ">=0.1.0 <2", "hostApis": ["storage"], "displayName": "Key-value store" } }
 * ```
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
] as const;

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
  /** Where the manifest was read from (the package.json path, or a label), for messages. */
  readonly source: string;
}
