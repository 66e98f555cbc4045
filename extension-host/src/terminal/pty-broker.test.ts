// BrokeredPty.start's failure paths, with stand-in broker scripts (real processes): a broker that never
// reports the plugin is killed at the deadline; one that exits first is reported with what it printed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning } from '../client/test-fixtures/is-running.js';
import { BrokeredPty, outsideAsar } from './pty-broker.js';
import type { BrokerConfig } from './pty-broker-protocol.js';

const config: BrokerConfig = {
  file: process.execPath,
  args: ['-e', '0'],
  name: 'xterm-256color',
  cols: 80,
  rows: 24,
  cwd: process.cwd(),
  env: {},
};

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function standIn(source: string): Promise<{ script: string; pidFile: string }> {
  dir = await mkdtemp(join(tmpdir(), 'tether-broker-test-'));
  const pidFile = join(dir, 'pid');
  const script = join(dir, 'broker.mjs');
  await writeFile(
    script,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n${source}\n`,
  );
  return { script, pidFile };
}

describe('BrokeredPty.start', () => {
  it('kills a broker that does not report the plugin in time, and fails the launch', async () => {
    const { script, pidFile } = await standIn('process.stdin.resume(); setInterval(() => {}, 1000);');
    await expect(
      BrokeredPty.start(config, { timeoutMs: 1500, broker: { script, nodeArgs: [] } }),
    ).rejects.toThrow(/did not start it within 1500 ms and was killed/);
    const pid = Number(await readFile(pidFile, 'utf8'));
    await expect.poll(() => isRunning(pid), { timeout: 5000 }).toBe(false);
  });

  it('reports a broker that exits before starting the plugin, with its last stderr lines', async () => {
    const { script } = await standIn("process.stderr.write('cannot open /dev/ptmx\\n'); process.exit(3);");
    await expect(BrokeredPty.start(config, { broker: { script, nodeArgs: [] } })).rejects.toThrow(
      /exited with code 3 before starting it:\ncannot open \/dev\/ptmx/,
    );
  });
});

describe('outsideAsar', () => {
  it("moves a file inside Electron's app.asar to app.asar.unpacked", () => {
    expect(
      outsideAsar('/Applications/Tether.app/Contents/Resources/app.asar/.vite/build/pty-broker-main.js'),
    ).toBe('/Applications/Tether.app/Contents/Resources/app.asar.unpacked/.vite/build/pty-broker-main.js');
    expect(outsideAsar('C:\\Tether\\resources\\app.asar\\.vite\\build\\pty-broker-main.js')).toBe(
      'C:\\Tether\\resources\\app.asar.unpacked\\.vite\\build\\pty-broker-main.js',
    );
  });

  it('leaves other paths alone', () => {
    for (const file of [
      '/opt/tether/dist/terminal/pty-broker-main.js',
      '/srv/app.asar.unpacked/x.js',
      '/srv/my-app.asar/x.js',
    ]) {
      expect(outsideAsar(file)).toBe(file);
    }
  });
});
