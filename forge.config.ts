// Electron Forge: `npm run package` (the app in out/) and `npm run make` (installers). The Vite plugin builds
// the main process, the preload, the pty broker and the UI into .vite/; everything else is bundled into them,
// except node-pty, a native module, which ships in node_modules and is unpacked from the asar archive.
// Why each choice, and what has and has not run on a machine without Electron: docs/packaging.md.
import { chmod, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerDMG } from '@electron-forge/maker-dmg';
import { MakerSquirrel } from '@electron-forge/maker-squirrel';
import { MakerZIP } from '@electron-forge/maker-zip';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

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
 * Unpacked from app.asar: node-pty whole — its `.node` addons cannot be loaded from the archive, and its
 * helpers must be real files to be executed (`spawn-helper` on macOS; winpty-agent.exe, conpty.dll and
 * OpenConsole.exe on Windows). A minimatch pattern matched against each file's path.
 */
export const ASAR_UNPACK = '**/node_modules/node-pty/**';

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
      packageAfterCopy: (_config, buildPath, _electronVersion, platform, arch) =>
        prepareNodePty(buildPath, platform, arch),
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
      // As Forge's vite-typescript template sets them, except RunAsNode: the pty runner starts its broker
      // with the app's own executable and ELECTRON_RUN_AS_NODE, which this fuse off would ignore.
      new FusesPlugin({
        version: FuseVersion.V1,
        [FuseV1Options.RunAsNode]: true,
        [FuseV1Options.EnableCookieEncryption]: true,
        [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
        [FuseV1Options.EnableNodeCliInspectArguments]: false,
        [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
        [FuseV1Options.OnlyLoadAppFromAsar]: true,
      }),
    ],
  };
}

export default createForgeConfig(process.env);
