// forge.config.ts as data: makers, the Vite builds (resolved and built the way Forge's Vite plugin does it),
// what the package keeps (node-pty: forge#3917), what the asar archive unpacks, the node-pty hook, the fuses.
// Packaging itself needs Electron's zip and cannot run here (docs/packaging.md).
import { existsSync } from 'node:fs';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPackageWithOptions } from '@electron/asar';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import type { MakerBase } from '@electron-forge/maker-base';
import type { VitePluginConfig } from '@electron-forge/plugin-vite/dist/Config.js';
import { build, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config, {
  ASAR_UNPACK,
  ELECTRON_ZIP_DIR_ENV,
  EXECUTABLE_NAME,
  PACKAGED_MODULES,
  PRODUCT_NAME,
  createForgeConfig,
  ignoreFile,
  linkUnpackedForNodePty,
  prepareBroker,
  prepareNodePty,
} from '../forge.config.js';
import { BrokeredPty } from '../extension-host/src/terminal/pty-broker.js';
import { RUN_AS_NODE_ENV } from '../app/main/run-as-node.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const rootPackage = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'tether-forge-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Writes files (path relative to `base` → content) and returns `base`. */
async function tree(base: string, files: Record<string, string>): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(base, file)), { recursive: true });
    await writeFile(path.join(base, file), content);
  }
  return base;
}

/** Every file under `base`, relative, with forward slashes. */
async function filesUnder(base: string): Promise<string[]> {
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(base, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The plugin of that name (a Forge plugin instance). */
const pluginNamed = (name: string): unknown =>
  config.plugins!.find((plugin) => (plugin as { name?: string }).name === name);
const vitePlugin = pluginNamed('vite') as { config: VitePluginConfig };

describe('makers', () => {
  it('are zip, deb, Squirrel and DMG, each for its platforms', () => {
    const makers = (config.makers as MakerBase<unknown>[]).map((maker) => [maker.name, maker.platforms]);
    expect(makers).toEqual([
      ['zip', ['darwin', 'linux']],
      ['deb', ['linux']],
      ['squirrel', ['win32']],
      ['dmg', ['darwin']],
    ]);
  });

  it('name the executable the packager makes', async () => {
    expect(config.packagerConfig).toMatchObject({ name: PRODUCT_NAME, executableName: EXECUTABLE_NAME });
    const deb = (config.makers as MakerBase<{ options: object }>[]).find((m) => m.name === 'deb')!;
    await deb.prepareConfig('x64');
    // The deb links /usr/bin/<name> to <bin>: `tether-app`, leaving `tether` to the CLI.
    expect(deb.config.options).toMatchObject({ name: EXECUTABLE_NAME, bin: EXECUTABLE_NAME });
  });

  it('are what npm run package and npm run make run', () => {
    expect(rootPackage.scripts).toMatchObject({
      package: 'electron-forge package',
      make: 'electron-forge make',
    });
  });
});

describe('the Vite plugin', () => {
  it('builds main, preload, the pty broker and the UI, from files that exist', () => {
    const { build: entries, renderer } = vitePlugin.config;
    expect(entries.map(({ entry, target }) => [entry, target])).toEqual([
      ['app/main/main.ts', 'main'],
      ['app/preload/preload.ts', 'preload'],
      ['extension-host/src/terminal/pty-broker-main.ts', 'main'],
    ]);
    expect(renderer.map(({ name }) => name)).toEqual(['main_window']);
    const referenced = [
      ...entries.flatMap(({ entry, config: file }) => [entry as string, file]),
      ...renderer.map(({ config: file }) => file),
      'app/renderer/index.html',
    ];
    expect(referenced.filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
  });

  it("starts the app from the main build (package.json's main, which the plugin requires)", () => {
    expect(rootPackage.main).toBe('.vite/build/main.js');
  });

  describe('as Forge resolves each config', () => {
    // Forge's own resolution (ViteConfigGenerator): its defaults merged with the config files.
    type Generator = {
      getBuildConfigs(): Promise<InlineConfig[]>;
      getRendererConfig(): Promise<InlineConfig[]>;
    };
    const ViteConfigGenerator = (
      require('@electron-forge/plugin-vite/dist/ViteConfig.js') as {
        default: new (config: VitePluginConfig, projectDir: string, isProd: boolean) => Generator;
      }
    ).default;
    let builds: InlineConfig[];
    let renderers: InlineConfig[];
    beforeAll(async () => {
      const generator = new ViteConfigGenerator(vitePlugin.config, root, true);
      builds = await generator.getBuildConfigs();
      renderers = await generator.getRendererConfig();
    });

    it('writes the UI where the main process looks for it: .vite/renderer/main_window', () => {
      expect(renderers.map((r) => r.build?.outDir)).toEqual([
        path.join(root, '.vite', 'renderer', 'main_window'),
      ]);
      expect(renderers[0]!.root).toBe(path.join(root, 'app', 'renderer/'));
    });

    it('builds the Node entries as ES modules with node-pty and Electron left out', () => {
      const [main, , broker] = builds;
      for (const node of [main!, broker!]) {
        const lib = node.build!.lib as { formats: string[] };
        expect(lib.formats).toEqual(['es']);
        expect(node.build!.outDir).toBe('.vite/build');
        expect(node.build!.rollupOptions!.external).toEqual(expect.arrayContaining(['electron', 'node-pty']));
        expect(node.resolve!.conditions).toContain('tether-source');
      }
    });

    it('builds the entries into one folder, named as the main process expects them', async () => {
      const outDir = path.join(scratch, 'vite-app', '.vite', 'build');
      for (const entry of builds) {
        await build({
          configFile: false,
          logLevel: 'silent',
          ...entry,
          build: { ...entry.build, outDir },
        });
      }
      const files = await readdir(outDir);
      expect(files).toEqual(expect.arrayContaining(['main.js', 'preload.js', 'pty-broker-main.js']));
      // The build's RunAsNode fuse is compiled in: the pty runner knows which Node it has.
      const main = await readFile(path.join(outDir, 'main.js'), 'utf8');
      expect(main).toContain('RunAsNode fuse off, so its TTY extensions run with a Node.js on PATH');
      expect(main).not.toContain('__TETHER_RUN_AS_NODE__');
      // The broker: an ES module that imports node-pty from node_modules at run time.
      const broker = await readFile(path.join(outDir, 'pty-broker-main.js'), 'utf8');
      expect(broker).toContain('import("node-pty")');
      // The sandboxed preload: a classic script (no import statement), Electron's module by require.
      const preload = await readFile(path.join(outDir, 'preload.js'), 'utf8');
      expect(preload).toMatch(/require\("electron"\)/);
      expect(preload).not.toMatch(/^\s*import\s/m);
    });

    it('gives a pty broker that runs on a plain Node.js, outside the archive, as with RunAsNode off', async () => {
      // The folder the previous test built, as the unpacked app has it: the broker, its package.json,
      // node-pty in node_modules above it.
      const app = path.join(scratch, 'vite-app');
      await prepareBroker(app);
      await symlink(path.join(root, 'node_modules'), path.join(app, 'node_modules'));
      const pty = await BrokeredPty.start(
        {
          file: process.execPath,
          args: ['-e', "process.stdout.write('hello from the built broker, tty=' + process.stdout.isTTY)"],
          name: 'xterm-256color',
          cols: 80,
          rows: 24,
          cwd: app,
          env: { PATH: process.env['PATH'] ?? '' },
        },
        {
          node: { path: process.execPath, env: {} },
          broker: { script: path.join(app, '.vite', 'build', 'pty-broker-main.js'), nodeArgs: [] },
        },
      );
      let output = '';
      pty.onData((chunk) => (output += chunk.toString('utf8')));
      const exit = await new Promise<{ exitCode: number }>((resolve) => pty.onExit(resolve));
      expect(exit.exitCode).toBe(0);
      expect(output).toContain('hello from the built broker, tty=true');
    });
  });
});

describe('what the package keeps (packagerConfig.ignore)', () => {
  it('is the ignore function', () => {
    expect(config.packagerConfig!.ignore).toBe(ignoreFile);
  });

  it.each([
    '',
    '/package.json',
    '/.vite',
    '/.vite/build/main.js',
    '/.vite/build/pty-broker-main.js',
    '/.vite/renderer/main_window/index.html',
    '/node_modules',
    '/node_modules/node-pty',
    '/node_modules/node-pty/build/Release/pty.node',
    '/node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper',
    '/node_modules/node-pty/lib/index.js',
    '/node_modules/node-addon-api/index.js',
  ])('keeps %j', (file) => {
    expect(ignoreFile(file)).toBe(false);
  });

  it.each([
    '/node_modules/left-pad/index.js',
    '/node_modules/node-pty-prebuilt/index.js',
    '/node_modules/.bin/tsc',
    '/node_modules/@tether/sdk',
    '/.vite-old/main.js',
    '/app/main/main.ts',
    '/extension-host/src/index.ts',
    '/forge.config.ts',
    '/package-lock.json',
    '/.git/HEAD',
  ])('drops %j', (file) => {
    expect(ignoreFile(file)).toBe(true);
  });

  it('keeps node-pty and its dependencies, production dependencies (else the packager prunes them)', async () => {
    const closure = new Set<string>();
    const visit = async (name: string): Promise<void> => {
      if (closure.has(name)) return;
      closure.add(name);
      const manifest = JSON.parse(
        await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { dependencies?: Record<string, string> };
      for (const dependency of Object.keys(manifest.dependencies ?? {})) await visit(dependency);
    };
    for (const dependency of Object.keys(rootPackage.dependencies)) await visit(dependency);
    expect(Object.keys(rootPackage.dependencies)).toEqual(['node-pty']);
    expect([...closure].sort()).toEqual([...PACKAGED_MODULES].sort());
  });
});

describe('what the asar archive unpacks', () => {
  it('is node-pty whole, spawn-helper still executable, and the pty broker as an ES module', async () => {
    expect(config.packagerConfig!.asar).toEqual({ unpack: ASAR_UNPACK });
    const app = await tree(path.join(scratch, 'asar-app'), {
      'package.json': '{}',
      '.vite/build/main.js': '',
      '.vite/build/pty-broker-main.js': '',
      '.vite/build/package.json': '{"type":"module"}',
      '.vite/renderer/main_window/package.json': '{}',
      'node_modules/node-pty/lib/index.js': '',
      'node_modules/node-pty/build/Release/pty.node': '',
      'node_modules/node-pty/prebuilds/darwin-arm64/pty.node': '',
      'node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper': '',
      'node_modules/node-pty/prebuilds/win32-x64/conpty/OpenConsole.exe': '',
      'node_modules/node-pty/prebuilds/win32-x64/winpty-agent.exe': '',
      'node_modules/node-addon-api/index.js': '',
    });
    await chmod(path.join(app, 'node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper'), 0o755);
    const archive = path.join(scratch, 'app.asar');
    // The packager hands these options to @electron/asar, as here.
    await createPackageWithOptions(app, archive, { unpack: ASAR_UNPACK });
    expect(await filesUnder(`${archive}.unpacked`)).toEqual([
      '.vite/build/package.json',
      '.vite/build/pty-broker-main.js',
      'node_modules/node-pty/build/Release/pty.node',
      'node_modules/node-pty/lib/index.js',
      'node_modules/node-pty/prebuilds/darwin-arm64/pty.node',
      'node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper',
      'node_modules/node-pty/prebuilds/win32-x64/conpty/OpenConsole.exe',
      'node_modules/node-pty/prebuilds/win32-x64/winpty-agent.exe',
    ]);
    const helper = await stat(
      path.join(`${archive}.unpacked`, 'node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper'),
    );
    expect(helper.mode & 0o111).toBe(0o111);
  });
});

describe('the afterAsar hook', () => {
  /** Resources as the packager leaves them after asar: the archive, its unpacked folder; app/ is gone. */
  const resources = (name: string) =>
    tree(path.join(scratch, name), { 'app.asar': '', 'app.asar.unpacked/node_modules/node-pty/x': '' });

  it("links app.asar.unpacked.unpacked on macOS, for node-pty's spawn-helper under a Node.js from PATH", async () => {
    for (const platform of ['darwin', 'mas']) {
      const folder = await resources(`after-asar-${platform}`);
      await linkUnpackedForNodePty(path.join(folder, 'app'), platform);
      expect(await readlink(path.join(folder, 'app.asar.unpacked.unpacked'))).toBe('app.asar.unpacked');
      expect(await readdir(path.join(folder, 'app.asar.unpacked.unpacked/node_modules/node-pty'))).toEqual([
        'x',
      ]);
    }
  });

  it('does nothing elsewhere', async () => {
    const folder = await resources('after-asar-linux');
    await linkUnpackedForNodePty(path.join(folder, 'app'), 'linux');
    await expect(lstat(path.join(folder, 'app.asar.unpacked.unpacked'))).rejects.toThrow(/ENOENT/);
  });

  it("is the packager's afterAsar hook", async () => {
    const folder = await resources('after-asar-config');
    const [hook] = config.packagerConfig!.afterAsar as ((...args: unknown[]) => void)[];
    await new Promise<void>((resolve, reject) =>
      hook!(path.join(folder, 'app'), '40.10.2', 'darwin', 'arm64', (error?: Error) =>
        error === undefined ? resolve() : reject(error),
      ),
    );
    expect(await readlink(path.join(folder, 'app.asar.unpacked.unpacked'))).toBe('app.asar.unpacked');
  });
});

describe('the node-pty hook (packageAfterCopy)', () => {
  /** A copy of the app as the packager leaves it: node-pty with every platform's prebuilds, helpers 0644. */
  async function copiedApp(name: string): Promise<string> {
    return tree(path.join(scratch, name), {
      '.vite/build/pty-broker-main.js': '',
      'node_modules/node-pty/lib/index.js': '',
      'node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper': '',
      'node_modules/node-pty/prebuilds/darwin-x64/spawn-helper': '',
      'node_modules/node-pty/prebuilds/win32-x64/pty.node': '',
      'node_modules/node-pty/build/Release/spawn-helper': '',
    });
  }
  const prebuilds = (app: string): Promise<string[]> =>
    readdir(path.join(app, 'node_modules/node-pty/prebuilds'));
  const mode = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

  it('keeps only the target prebuild and makes spawn-helper executable', async () => {
    const app = await copiedApp('hook-darwin');
    await prepareNodePty(app, 'darwin', 'arm64');
    expect(await prebuilds(app)).toEqual(['darwin-arm64']);
    expect(await mode(path.join(app, 'node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper'))).toBe(
      0o755,
    );
    expect(await mode(path.join(app, 'node_modules/node-pty/build/Release/spawn-helper'))).toBe(0o755);
  });

  it('drops every prebuild for Linux (node-pty ships none: it is built from source)', async () => {
    const app = await copiedApp('hook-linux');
    await prepareNodePty(app, 'linux', 'x64');
    expect(await prebuilds(app)).toEqual([]);
  });

  it("is the config's packageAfterCopy hook", async () => {
    const app = await copiedApp('hook-config');
    const hook = config.hooks!.packageAfterCopy!;
    await hook(undefined as never, app, '40.10.2', 'mas', 'x64');
    expect(await prebuilds(app)).toEqual(['darwin-x64']);
    expect(JSON.parse(await readFile(path.join(app, '.vite/build/package.json'), 'utf8'))).toEqual({
      type: 'module',
    });
  });

  it('fails the package when the pty broker is missing, saying what to keep', async () => {
    const app = await tree(path.join(scratch, 'hook-no-broker'), { '.vite/build/main.js': '' });
    await expect(prepareBroker(app)).rejects.toThrow(
      /The pty broker is missing from the packaged app .* Keep extension-host\/src\/terminal\/pty-broker-main\.ts/,
    );
  });

  it('fails the package when node-pty is missing, saying what to keep', async () => {
    const app = await tree(path.join(scratch, 'hook-missing'), { 'package.json': '{}' });
    await expect(prepareNodePty(app, 'linux', 'x64')).rejects.toThrow(
      /node-pty is missing from the packaged app .* Keep it in package\.json's dependencies/,
    );
  });
});

describe('fuses', () => {
  it("are the vite-typescript template's, with GrantFileProtocolExtraPrivileges off", () => {
    const fuses = pluginNamed('fuses') as { fusesConfig: unknown };
    expect(fuses.fusesConfig).toEqual({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it(`turn RunAsNode on when the build sets ${RUN_AS_NODE_ENV}=on, and refuse a bad value`, () => {
    const fusesOf = (env: NodeJS.ProcessEnv) =>
      (
        createForgeConfig(env).plugins!.find(
          (plugin) => (plugin as { name?: string }).name === 'fuses',
        ) as unknown as { fusesConfig: Record<number, unknown> }
      ).fusesConfig;
    expect(fusesOf({ [RUN_AS_NODE_ENV]: 'on' })[FuseV1Options.RunAsNode]).toBe(true);
    expect(fusesOf({ [RUN_AS_NODE_ENV]: 'off' })[FuseV1Options.RunAsNode]).toBe(false);
    expect(() => createForgeConfig({ [RUN_AS_NODE_ENV]: 'true' })).toThrow(/must be "on" or "off"/);
  });
});

describe('the offline route (electronZipDir)', () => {
  it(`comes from ${ELECTRON_ZIP_DIR_ENV}`, () => {
    expect(createForgeConfig({ [ELECTRON_ZIP_DIR_ENV]: '/srv/electron' }).packagerConfig).toMatchObject({
      electronZipDir: '/srv/electron',
    });
  });

  it('is unset without it (Electron is downloaded)', () => {
    expect(createForgeConfig({}).packagerConfig).not.toHaveProperty('electronZipDir');
    expect(createForgeConfig({ [ELECTRON_ZIP_DIR_ENV]: '' }).packagerConfig).not.toHaveProperty(
      'electronZipDir',
    );
  });
});
