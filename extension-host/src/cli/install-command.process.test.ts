// tether install / uninstall with no host running: through main() with captured output, real packages
// (npm pack, signed, the publisher trusted with TrustStore) and the real extension started once to try it,
// by a manager the command creates in this process over the data folder. (Against a running host:
// tether-host.process.test.ts.)
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys, type SigningKeys } from '../install/generate-signing-keys.js';
import { makeFixturePackage } from '../install/test-fixtures/fixture-packages.js';
import { TrustStore } from '../install/trust-store.js';
import { bundleManagerPlugin } from '../manager/test-fixtures/manager-testbed.js';
import { ALLOW_UNSIGNED_WARNING } from './install-command.js';
import { main } from './main.js';

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `tether <argv> --data <data>` in this process, its output captured. */
async function tether(...argv: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await main([...argv, '--data', data], {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
  });
  return { code, stdout, stderr };
}

let root: string;
let data: string;
let logs: string;
let acme: SigningKeys;
const packages: Record<'kv1' | 'kv2' | 'loose' | 'strange', string> = {
  kv1: '',
  kv2: '',
  loose: '',
  strange: '',
};
const installFolder = (): string => path.join(data, 'extensions');
const noHost = (): string =>
  `tether: no tether host is running for data folder ${data}; installing into it from here.\n`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-cli-install-'));
  data = path.join(root, 'data');
  logs = path.join(root, 'logs');
  // The manager the command creates writes its log files where `tether host` would: TETHER_LOG_DIR.
  process.env['TETHER_LOG_DIR'] = logs;
  const work = path.join(root, 'work');
  await mkdir(work);
  const bundle = await bundleManagerPlugin(work);
  acme = await generateSigningKeys({ outDir: path.join(work, 'keys'), name: 'acme' });
  const stranger = await generateSigningKeys({ outDir: path.join(work, 'keys'), name: 'stranger' });
  await new TrustStore(data).add(await readFile(acme.publicKeyFile, 'utf8'), { publisher: 'Acme' });
  packages.kv1 = await makeFixturePackage(work, bundle, 'kv', '1.0.0', { keys: acme });
  packages.kv2 = await makeFixturePackage(work, bundle, 'kv', '2.0.0', { keys: acme });
  packages.loose = await makeFixturePackage(work, bundle, 'loose', '1.0.0');
  packages.strange = await makeFixturePackage(work, bundle, 'strange', '1.0.0', { keys: stranger });
});

afterAll(async () => {
  delete process.env['TETHER_LOG_DIR'];
  await rm(root, { recursive: true, force: true });
});

describe('tether install / uninstall without a host', () => {
  it('refuses an unsigned package and an untrusted publisher, printing the code; nothing is installed', async () => {
    const unsigned = await tether('install', packages.loose);
    expect({ code: unsigned.code, stdout: unsigned.stdout }).toEqual({ code: 1, stdout: '' });
    expect(unsigned.stderr).toMatch(
      new RegExp(
        `^${escape(noHost())}verifying the signature…\ntether: \\w+ \\[NOT_SIGNED\\]: .*is not signed`,
      ),
    );
    const untrusted = await tether('install', packages.strange);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/\ntether: \w+ \[UNTRUSTED_PUBLISHER\]: /);
    expect(await readdir(installFolder())).toEqual([]);
  });

  it('installs a signed package (a relative path): each step on stderr, who signed it on stdout', async () => {
    const installed = await tether('install', path.relative(process.cwd(), packages.kv1));
    expect(installed).toEqual({
      code: 0,
      stdout: `installed kv@1.0.0 (signed by Acme ${acme.keyId})\n`,
      stderr:
        noHost() +
        'verifying the signature…\nunpacking…\nputting it in place…\nstarting it once to try it…\n',
    });
    expect((await readdir(path.join(installFolder(), 'kv'))).sort()).toEqual(['1.0.0', 'active.json']);
    // Its trial start logged where `tether logs kv` reads.
    expect(await readFile(path.join(logs, 'kv.log'), 'utf8')).toContain('starting {"mode":"ok"}');

    const upgraded = await tether('install', packages.kv2);
    expect(upgraded.stdout).toBe(`installed kv@2.0.0 (signed by Acme ${acme.keyId}), replacing 1.0.0\n`);
    expect((await readdir(path.join(installFolder(), 'kv'))).sort()).toEqual(['2.0.0', 'active.json']);
    const again = await tether('install', packages.kv2);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /\ntether: \w+ \[ALREADY_INSTALLED\]: kv@2\.0\.0 is already installed\. .*--force/,
    );
  });

  it('--allow-unsigned warns first, then installs a package nobody signed', async () => {
    const installed = await tether('install', packages.loose, '--allow-unsigned');
    expect(installed.code).toBe(0);
    expect(installed.stderr.startsWith(ALLOW_UNSIGNED_WARNING + noHost())).toBe(true);
    expect(installed.stdout).toBe('installed loose@1.0.0 (UNSIGNED — development only)\n');
  });

  it('uninstalls, keeping the log files unless --purge; an unknown id is refused with its code', async () => {
    const kept = await tether('uninstall', 'loose');
    expect({ code: kept.code, stdout: kept.stdout }).toEqual({
      code: 0,
      stdout: 'uninstalled loose; its log files stay ("tether logs loose"; --purge deletes them)\n',
    });
    expect(existsSync(path.join(logs, 'loose.log'))).toBe(true);

    expect((await tether('uninstall', 'kv', '--purge')).stdout).toBe(
      'uninstalled kv, and deleted its log files\n',
    );
    expect(existsSync(path.join(logs, 'kv.log'))).toBe(false);
    expect(await readdir(installFolder())).toEqual([]);

    const unknown = await tether('uninstall', 'kv');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/\ntether: \w+ \[EXTENSION_NOT_FOUND\]: No extension "kv" in .*\n$/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
