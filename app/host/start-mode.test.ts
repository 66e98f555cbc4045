// npm start's choice between the Electron app and the browser, and the reason it prints.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseStartMode, forgeCli, type StartModeFacts } from './start-mode.js';
import { parseStartArgs } from './start-options.js';

const everything: StartModeFacts = {
  electronBinary: '/repo/node_modules/electron/dist/electron',
  forgeCli: '/repo/node_modules/@electron-forge/cli/dist/electron-forge.js',
  browserRequest: undefined,
  platform: 'linux',
  env: { DISPLAY: ':0' },
  node: '/usr/bin/node',
};

describe('chooseStartMode', () => {
  it('runs the Electron app through electron-forge start where it can, and says so', () => {
    const mode = chooseStartMode(everything);
    expect(mode).toMatchObject({
      kind: 'electron',
      command: '/usr/bin/node',
      args: ['/repo/node_modules/@electron-forge/cli/dist/electron-forge.js', 'start'],
    });
    expect(mode.reason).toContain('runs in its own window');
    expect(chooseStartMode({ ...everything, env: { WAYLAND_DISPLAY: 'wayland-0' } }).kind).toBe('electron');
    expect(chooseStartMode({ ...everything, platform: 'darwin', env: {} }).kind).toBe('electron');
  });

  it('passes --data on to the app', () => {
    expect(chooseStartMode({ ...everything, dataFolder: '/tmp/try' })).toMatchObject({
      args: [everything.forgeCli, 'start', '--', '--data', '/tmp/try'],
    });
  });

  it.each([
    [{ browserRequest: '--browser' }, '--browser asks for the browser'],
    [{ browserRequest: '--port' }, '--port asks for the browser'],
    [{ electronBinary: undefined }, "Electron's binary is not installed"],
    [{ forgeCli: undefined }, 'Electron Forge is not'],
    [{ env: {} }, 'there is no display'],
    [{ env: { DISPLAY: '' } }, 'there is no display'],
  ] as const)('runs in the browser with %j, saying why', (change, why) => {
    const mode = chooseStartMode({ ...everything, ...change });
    expect(mode.kind).toBe('browser');
    expect(mode.reason).toContain(why);
    expect(mode.reason).toContain('the app runs in your browser');
  });

  it('says first what is missing, then what was asked for', () => {
    expect(
      chooseStartMode({ ...everything, electronBinary: undefined, browserRequest: '--port' }).reason,
    ).toBe("Electron's binary is not installed, so the app runs in your browser.");
    expect(chooseStartMode({ ...everything, env: {}, browserRequest: '--browser' }).reason).toBe(
      '--browser asks for the browser, so the app runs in your browser.',
    );
  });
});

describe('the options that ask for the browser', () => {
  it('are --browser and the browser-only ones; --data alone asks for nothing', () => {
    expect(parseStartArgs(['--browser'])).toMatchObject({ browserRequest: '--browser' });
    expect(parseStartArgs(['--no-open'])).toMatchObject({ browserRequest: '--no-open' });
    expect(parseStartArgs(['--ui-root', 'ui'])).toMatchObject({ browserRequest: '--ui-root' });
    const withData = parseStartArgs(['--data', 'd']);
    expect(withData).toMatchObject({ dataGiven: true });
    expect(withData).not.toHaveProperty('browserRequest');
    expect(parseStartArgs([])).not.toHaveProperty('dataGiven');
  });
});

describe('forgeCli', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tether-forge-'));
    await writeFile(path.join(root, 'package.json'), '{"name":"repo"}');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function installForge(): Promise<string> {
    const cli = path.join(root, 'node_modules', '@electron-forge', 'cli');
    await mkdir(path.join(cli, 'dist'), { recursive: true });
    await writeFile(
      path.join(cli, 'package.json'),
      JSON.stringify({ name: '@electron-forge/cli', bin: { 'electron-forge': 'dist/electron-forge.js' } }),
    );
    await writeFile(path.join(cli, 'dist', 'electron-forge.js'), '');
    return path.join(cli, 'dist', 'electron-forge.js');
  }

  it('is the CLI script when Forge is installed and forge.config.ts exists', async () => {
    const script = await installForge();
    expect(forgeCli(root)).toBeUndefined();
    await writeFile(path.join(root, 'forge.config.ts'), 'export default {};');
    expect(forgeCli(root)).toBe(script);
  });

  it('is undefined without Forge', async () => {
    await writeFile(path.join(root, 'forge.config.ts'), 'export default {};');
    expect(forgeCli(root)).toBeUndefined();
  });
});
