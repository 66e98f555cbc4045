// Which app `npm start` runs: the Electron app when it can (Electron's binary downloaded, Electron Forge
// installed, a display to open a window on), else the app in a browser — and why, in one sentence the user
// sees first. The decision is a function of those facts (tested); start.ts gathers them and acts on it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type StartMode =
  | {
      readonly kind: 'electron';
      /** What to run: Node, on Electron Forge's CLI, `start -- <app args>`. */
      readonly command: string;
      readonly args: readonly string[];
      readonly reason: string;
    }
  | { readonly kind: 'browser'; readonly reason: string };

export interface StartModeFacts {
  /** Electron's executable (`electronBinary()`), when its download happened. */
  readonly electronBinary: string | undefined;
  /** Electron Forge's CLI script (`forgeCli()`), when Forge is installed and configured. */
  readonly forgeCli: string | undefined;
  /** The option that asked for the browser (`--browser`, or one only the browser mode has), if any. */
  readonly browserRequest: string | undefined;
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Node, to run Forge's CLI with. */
  readonly node: string;
  /** `--data` as given on npm start's command line, passed on to the Electron app. */
  readonly dataFolder?: string | undefined;
}

/**
 * Decides; the first reason that rules Electron out wins, in this order: what is missing (the binary, Forge),
 * what the user asked for, the display.
 */
export function chooseStartMode(facts: StartModeFacts): StartMode {
  if (facts.electronBinary === undefined) {
    return {
      kind: 'browser',
      reason: "Electron's binary is not installed, so the app runs in your browser.",
    };
  }
  if (facts.forgeCli === undefined) {
    return {
      kind: 'browser',
      reason:
        'Electron is installed but Electron Forge is not (or forge.config.ts is missing), so the app runs in your browser; npm install adds Forge.',
    };
  }
  if (facts.browserRequest !== undefined) {
    return {
      kind: 'browser',
      reason: `${facts.browserRequest} asks for the browser, so the app runs in your browser.`,
    };
  }
  if (
    facts.platform === 'linux' &&
    (facts.env['DISPLAY'] ?? '') === '' &&
    (facts.env['WAYLAND_DISPLAY'] ?? '') === ''
  ) {
    return {
      kind: 'browser',
      reason:
        "there is no display for Electron's window (DISPLAY and WAYLAND_DISPLAY are unset), so the app runs in your browser.",
    };
  }
  return {
    kind: 'electron',
    command: facts.node,
    args: [
      facts.forgeCli,
      'start',
      ...(facts.dataFolder === undefined ? [] : ['--', '--data', facts.dataFolder]),
    ],
    reason:
      'Electron is installed, so the app runs in its own window (electron-forge start builds the main process, the preload and the UI with Vite, then starts Electron; --browser runs it in your browser instead).',
  };
}

/**
 * Electron Forge's CLI script, resolved from the repository as npm would run `electron-forge`, when it is
 * installed and the repository has its forge.config.ts; else undefined.
 */
export function forgeCli(repositoryRoot: string): string | undefined {
  if (!existsSync(path.join(repositoryRoot, 'forge.config.ts'))) return undefined;
  try {
    const manifest = createRequire(path.join(repositoryRoot, 'package.json')).resolve(
      '@electron-forge/cli/package.json',
    );
    const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> };
    const script = bin?.['electron-forge'];
    if (script === undefined) return undefined;
    const file = path.join(path.dirname(manifest), script);
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}
