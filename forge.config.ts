// Electron Forge: `npm run package` (the app in out/) and `npm run make` (installers). The Vite plugin builds
// the main process, the preload, the pty broker and the UI into .vite/; everything else is bundled into them,
// except node-pty, a native module, which ships in node_modules and is unpacked from the asar archive.
// Why each choice, and what has and has not run on a machine without Electron: docs/packaging.md.
import { chmod, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerDMG } from '@electron-forge/maker-dmg';
import { MakerSquirrel } from '@electron-forge/maker-squirrel';
import { MakerZIP } from '@electron-forge/maker-zip';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { runAsNodeFuse } from './app/main/run-as-node.js';

/** The app's name (window title, macOS bundle, installers). */
export const PRODUCT_NAME = 'Tether';
/** The app's executable and its command on Linux: not `tether`, the CLI of @tether/extension-host. */
export const EXECUTABLE_NAME = 'tether-app';
/** Who the installers name as maintainer (deb) and authors (Squirrel), which both require. */
const AUTHORS = 'Tether contributors';

/**
 * A folder holding Electron's release zips (`electron-v<version>-<platform>-<arch>.zip`), used instead of
 * downloading them: the offline route (Forge's `packagerConfig.electronZipDir`).
 */
export const ELECTRON_ZIP_DIR_ENV = 'TETHER_ELECTRON_ZIP_DIR';

/**
 * The modules the packaged app loads from node_modules: node-pty, a native addon that Vite cannot bundle
 * (the pty broker imports it at run time), and its dependency closure (node-addon-api, the headers that
 * Forge's rebuild of node-pty for Electron compiles against). Every other module is bundled into .vite/.
 * They must also be in package.json's `dependencies`: the packager keeps only production dependencies.
 */
export const PACKAGED_MODULES = ['node-pty', 'node-addon-api'] as const;

/**
 * Forge's `packagerConfig.ignore`: true for a path left out of the package. `file` is relative to the
 * repository and starts with '/' ('' for the root). The Vite plugin's own default keeps only .vite/, which
 * drops node-pty (forge#3917), so this keeps .vite/, package.json and the modules above, and nothing else.
 */
export function ignoreFile(file: string): boolean {
  if (file === '' || file === '/package.json' || file === '/node_modules') return false;
  const keptFolders = ['/.vite', ...PACKAGED_MODULES.map((name) => `/node_modules/${name}`)];
  return !keptFolders.some((folder) => file === folder || file.startsWith(`${folder}/`));
}

/**
 * Unpacked from app.asar (minimatch patterns matched against each file's path): node-pty whole — its
 * `.node` addons cannot be loaded from the archive, and its helpers must be real files to be executed
 * (`spawn-helper` on macOS; winpty-agent.exe, conpty.dll and OpenConsole.exe on Windows) — and the pty
 * broker with a package.json saying it is an ES module: with the RunAsNode fuse off (the default) the
 * broker runs on a Node.js from PATH, which cannot read the archive (app/main/run-as-node.ts).
 */
export const ASAR_UNPACK =
  '{**/node_modules/node-pty/**,**/.vite/build/pty-broker-main.js,**/.vite/build/package.json}';

/**
 * The pty broker's half of the `packageAfterCopy` hook: the broker must be there, and beside it a
 * package.json marking `.vite/build/` as ES modules, since the root package.json (which says so) stays in
 * the archive, out of sight of a Node.js from PATH running the unpacked broker.
 */
export async function prepareBroker(buildPath: string): Promise<void> {
  const folder = path.join(buildPath, '.vite', 'build');
  if (!(await stat(path.join(folder, 'pty-broker-main.js')).catch(() => undefined))?.isFile()) {
    throw new Error(
      `The pty broker is missing from the packaged app (${folder}), so pty extensions could not start in ` +
        "it. Keep extension-host/src/terminal/pty-broker-main.ts among the Vite plugin's build entries.",
    );
  }
  await writeFile(path.join(folder, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
}

/**
 * The `afterAsar` packager hook (`appFolder` is `<resources>/app`, gone by then): on macOS, links
 * `app.asar.unpacked.unpacked` to `app.asar.unpacked`. node-pty finds `spawn-helper` by replacing
 * `app.asar` with `app.asar.unpacked` in its own path, which a Node.js from PATH — loading node-pty from the
 * unpacked folder, as it cannot read the archive — turns into `app.asar.unpacked.unpacked`
 * (microsoft/node-pty#923). Before signing, which the packager does last.
 */
export async function linkUnpackedForNodePty(appFolder: string, platform: string): Promise<void> {
  if (platform !== 'darwin' && platform !== 'mas') return;
  await symlink('app.asar.unpacked', path.join(path.dirname(appFolder), 'app.asar.unpacked.unpacked'));
}

/**
 * The `packageAfterCopy` hook, on the copy of the app that becomes the package: node-pty must be there
 * (else the pty runner fails in the packaged app only); prebuilds for other platforms go (dead weight, and
 * executables a signer trips on); `spawn-helper` gets its executable bit (node-pty 1.1.0's tarball ships it
 * 0644, microsoft/node-pty#850, and every pty spawn on macOS fails without it).
 */
export async function prepareNodePty(buildPath: string, platform: string, arch: string): Promise<void> {
  const nodePty = path.join(buildPath, 'node_modules', 'node-pty');
  if (!(await stat(nodePty).catch(() => undefined))?.isDirectory()) {
    throw new Error(
      `node-pty is missing from the packaged app (${nodePty}), so pty extensions could not start in it. ` +
        "Keep it in package.json's dependencies and in forge.config.ts's ignoreFile.",
    );
  }
  const target = `${platform === 'mas' ? 'darwin' : platform}-${arch}`;
  const prebuilds = path.join(nodePty, 'prebuilds');
  for (const entry of await readdir(prebuilds).catch(() => [])) {
    if (entry !== target) await rm(path.join(prebuilds, entry), { recursive: true, force: true });
  }
  for (const helper of [
    path.join(prebuilds, target, 'spawn-helper'),
    path.join(nodePty, 'build', 'Release', 'spawn-helper'),
  ]) {
    if ((await stat(helper).catch(() => undefined))?.isFile()) await chmod(helper, 0o755);
  }
}

/** The configuration, for an environment (tests pass their own). */
export function createForgeConfig(env: NodeJS.ProcessEnv): ForgeConfig {
  const electronZipDir = env[ELECTRON_ZIP_DIR_ENV];
  return {
    packagerConfig: {
      name: PRODUCT_NAME,
      executableName: EXECUTABLE_NAME,
      asar: { unpack: ASAR_UNPACK },
      ignore: ignoreFile,
      afterAsar: [
        (
          appFolder: string,
          _electronVersion: string,
          platform: string,
          _arch: string,
          done: (error?: Error) => void,
        ) => {
          linkUnpackedForNodePty(appFolder, platform).then(() => done(), done);
        },
      ],
      ...(electronZipDir === undefined || electronZipDir === '' ? {} : { electronZipDir }),
    },
    rebuildConfig: {},
    makers: [
      new MakerZIP({}, ['darwin', 'linux']),
      // The package is named after the executable too: the deb links /usr/bin/<package name> to it.
      new MakerDeb(
        {
          options: {
            name: EXECUTABLE_NAME,
            productName: PRODUCT_NAME,
            bin: EXECUTABLE_NAME,
            maintainer: AUTHORS,
            categories: ['Development'],
          },
        },
        ['linux'],
      ),
      new MakerSquirrel({ authors: AUTHORS }, ['win32']),
      new MakerDMG({}, ['darwin']),
    ],
    hooks: {
      packageAfterCopy: async (_config, buildPath, _electronVersion, platform, arch) => {
        await prepareNodePty(buildPath, platform, arch);
        await prepareBroker(buildPath);
      },
    },
    plugins: [
      new VitePlugin({
        // Node entries are ES modules (package.json's "type"); the sandboxed preload is a classic script.
        build: [
          { entry: 'app/main/main.ts', config: 'app/vite.main.config.ts', target: 'main' },
          { entry: 'app/preload/preload.ts', config: 'app/vite.preload.config.ts', target: 'preload' },
          // Started by the pty runner, found next to the main bundle: .vite/build/pty-broker-main.js.
          // Utility-process extensions need no entry here: UtilityRunner forks each extension's own file.
          {
            entry: 'extension-host/src/terminal/pty-broker-main.ts',
            config: 'app/vite.main.config.ts',
            target: 'main',
          },
        ],
        renderer: [{ name: 'main_window', config: 'app/vite.renderer.config.ts' }],
      }),
      // As Forge's vite-typescript template sets them. RunAsNode is off unless the build sets
      // TETHER_RUN_AS_NODE=on (app/main/run-as-node.ts: off, TTY extensions run with a Node.js on PATH).
      // GrantFileProtocolExtraPrivileges off too: the UI is served by app://, nothing loads file://.
      new FusesPlugin({
        version: FuseVersion.V1,
        [FuseV1Options.RunAsNode]: runAsNodeFuse(env),
        [FuseV1Options.EnableCookieEncryption]: true,
        [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
        [FuseV1Options.EnableNodeCliInspectArguments]: false,
        [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
        [FuseV1Options.OnlyLoadAppFromAsar]: true,
        [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      }),
    ],
  };
}

export default createForgeConfig(process.env);
