// A temporary app for the manager tests: an extensions folder, a data folder, the fixture extension bundled
// once (esbuild, so each extension starts as a built one does: no tsx), and managers disposed after each test.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ExtensionHostManager } from '../extension-host-manager.js';
import type { ExtensionHostManagerOptions } from '../manager-options.js';
import { managerHandshake, type FixtureMode } from './manager-contract.js';

const pluginSource = fileURLToPath(new URL('./manager-plugin.ts', import.meta.url));

/** Bundles the fixture extension into `dir` (one self-contained ESM file, the sdk included). */
export async function bundleManagerPlugin(dir: string): Promise<string> {
  const outfile = join(dir, 'manager-plugin.mjs');
  await build({
    entryPoints: [pluginSource],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['tether-source'],
    logLevel: 'error',
  });
  return outfile;
}

export interface FixtureExtension {
  readonly name: string;
  readonly fixture?: FixtureMode;
  readonly activation?: 'startup' | 'onDemand';
  readonly idleTimeoutSeconds?: number;
  readonly hostApis?: readonly string[];
  readonly crashLimit?: { count: number; windowSeconds: number };
  readonly commands?: readonly { id: string; title: string; arguments?: string }[];
  /** `tether.requires`: service → range of its protocol version. */
  readonly requires?: Readonly<Record<string, string>>;
  /** `tether.services` (default `{ probe: [1] }`). */
  readonly services?: Readonly<Record<string, readonly number[]>>;
  /** Replaces the `tether` section (for invalid manifests). */
  readonly tether?: unknown;
}

export class ManagerTestbed {
  readonly root: string;
  readonly extensions: string;
  readonly data: string;
  readonly #bundle: string;
  readonly #managers: ExtensionHostManager[] = [];

  private constructor(root: string, bundle: string) {
    this.root = root;
    this.extensions = join(root, 'extensions');
    this.data = join(root, 'data');
    this.#bundle = bundle;
  }

  static async create(): Promise<ManagerTestbed> {
    const root = await mkdtemp(join(tmpdir(), 'tether-manager-'));
    const bundle = await bundleManagerPlugin(root);
    const bed = new ManagerTestbed(root, bundle);
    await mkdir(bed.extensions);
    return bed;
  }

  /** Writes an extension folder (entry: a one-line module importing the bundled fixture). */
  async addExtension(extension: FixtureExtension): Promise<string> {
    const dir = join(this.extensions, extension.name.replace('/', '__'));
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'plugin.mjs'),
      `await import(${JSON.stringify(new URL(`file://${this.#bundle}`).href)});\n`,
    );
    const tether = extension.tether ?? {
      entry: 'plugin.mjs',
      runner: 'node',
      services: extension.services ?? { probe: [1] },
      host: '>=0.1.0',
      hostApis: extension.hostApis ?? [],
      handshake: managerHandshake,
      ...(extension.activation === undefined ? {} : { activation: extension.activation }),
      ...(extension.idleTimeoutSeconds === undefined
        ? {}
        : { idleTimeoutSeconds: extension.idleTimeoutSeconds }),
      ...(extension.crashLimit === undefined ? {} : { crashLimit: extension.crashLimit }),
      ...(extension.commands === undefined ? {} : { contributes: { commands: extension.commands } }),
      ...(extension.requires === undefined ? {} : { requires: extension.requires }),
    };
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({
        name: extension.name,
        version: '1.0.0',
        type: 'module',
        fixture: extension.fixture ?? 'ok',
        tether,
      }),
    );
    return dir;
  }

  /** A manager over this app's folders (disposed by `dispose()`), fast restarts by default. */
  async manager(options: Partial<ExtensionHostManagerOptions> = {}): Promise<ExtensionHostManager> {
    const manager = await ExtensionHostManager.create({
      app: { name: 'tether-test', handshake: managerHandshake },
      extensionFolders: [this.extensions],
      dataFolder: this.data,
      logSink: false,
      restartPolicy: { backoffMs: 50 },
      ...options,
    });
    this.#managers.push(manager);
    return manager;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#managers.splice(0).map((manager) => manager.dispose()));
    await rm(this.root, { recursive: true, force: true });
  }
}
