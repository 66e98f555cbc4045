// The app's DevTools panel, ready to load: a private copy of the built UI bundle — which is also a Chrome
// DevTools extension (app/renderer/devtools-manifest.ts) — holding the connection.json that points its panel
// at a web host. The Electron app's development builds load it with `session.extensions.loadExtension`, so
// the app's own DevTools show a "Tether" panel next to Console and Network (docs/app.md "The DevTools
// panel"). The web host must accept the extension's origin: `serveWebUi({ extraOrigins: [origin] })`.
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import {
  DEVTOOLS_CONNECTION_FILE,
  parseDevtoolsConnection,
  type DevtoolsConnection,
} from '../renderer/src/devtools/devtools-connection.js';

export { DEVTOOLS_CONNECTION_FILE, type DevtoolsConnection };

export interface DevtoolsExtensionOptions extends DevtoolsConnection {
  /** The built UI bundle, app/renderer/dist (`ensureUiBundle` in ./ui-bundle.ts returns it). */
  readonly bundle: string;
  /** Where the private folder of the copy is made; default the system's temporary folder. */
  readonly parentFolder?: string;
}

/** The copy, loaded or not. Disposing of it removes its folder (after the app has stopped using it). */
export interface PreparedDevtoolsExtension extends AsyncDisposable {
  /** The unpacked extension: pass it to `session.extensions.loadExtension`. */
  readonly folder: string;
  /** Its id: fixed by the manifest's key, the same for every copy. */
  readonly id: string;
  /** `chrome-extension://<id>`: the web host's `extraOrigins` must name it. */
  readonly origin: string;
  /**
   * Points the panel at another web host (one restarted on another port, with another token). The file is
   * replaced whole; an open panel reads it again at its next connection attempt.
   * @throws TetherError INVALID_OPTIONS when `connection` is not a WebSocket URL and a token.
   */
  connectTo(connection: DevtoolsConnection): Promise<void>;
  /** Removes the folder. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Copies the bundle into a new private folder (mode 0700) and writes its connection.json (mode 0600: it
 * holds the web host's token).
 * @throws TetherError INVALID_OPTIONS when the bundle is not a built DevTools extension (no manifest.json or
 *   no key: built before the panel existed), or the connection is not a WebSocket URL and a token.
 */
export async function prepareDevtoolsExtension(
  options: DevtoolsExtensionOptions,
): Promise<PreparedDevtoolsExtension> {
  const connection = parseDevtoolsConnection({ url: options.url, token: options.token });
  const id = await devtoolsExtensionId(options.bundle);
  const folder = await mkdtemp(path.join(options.parentFolder ?? tmpdir(), 'tether-devtools-'));
  let disposed: Promise<void> | undefined;
  const prepared: PreparedDevtoolsExtension = {
    folder,
    id,
    origin: `chrome-extension://${id}`,
    connectTo: async (next) => writeConnection(folder, parseDevtoolsConnection(next)),
    dispose: () => (disposed ??= rm(folder, { recursive: true, force: true })),
    [Symbol.asyncDispose]: () => prepared.dispose(),
  };
  try {
    await cp(options.bundle, folder, { recursive: true });
    await writeConnection(folder, connection);
  } catch (error) {
    await prepared.dispose();
    throw error;
  }
  return prepared;
}

/**
 * The origin the panel's WebSocket comes from, `chrome-extension://<id>`, read from the built bundle's
 * manifest — for the web host's `extraOrigins`, before the extension is prepared.
 * @throws TetherError INVALID_OPTIONS as {@link prepareDevtoolsExtension}.
 */
export async function devtoolsExtensionOrigin(bundle: string): Promise<string> {
  return `chrome-extension://${await devtoolsExtensionId(bundle)}`;
}

/**
 * Chrome's extension id for a manifest `key` (base64 of the public key's DER): the first 128 bits of its
 * SHA-256, each hex digit written as a letter from `a` (0) to `p` (15).
 */
export function extensionIdOf(key: string): string {
  const digest = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex');
  return [...digest.slice(0, 32)].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

async function devtoolsExtensionId(bundle: string): Promise<string> {
  const manifestFile = path.join(bundle, 'manifest.json');
  const rebuild = 'rebuild the UI: npm run build -w app';
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  } catch (error) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `${bundle} is not the DevTools extension (${manifestFile} is missing or not JSON); ${rebuild}.`,
      { cause: error },
    );
  }
  const key = (manifest as { key?: unknown } | null)?.key;
  if (typeof key !== 'string' || key === '')
    throw new TetherError('INVALID_OPTIONS', `${manifestFile} has no key, so its id is unknown; ${rebuild}.`);
  return extensionIdOf(key);
}

/** Replaces connection.json whole (write, then rename), so the panel never reads half of it. */
async function writeConnection(folder: string, connection: DevtoolsConnection): Promise<void> {
  const file = path.join(folder, DEVTOOLS_CONNECTION_FILE);
  const partial = `${file}.partial`;
  await writeFile(partial, `${JSON.stringify(connection)}\n`, { mode: 0o600 });
  await rename(partial, file);
}
