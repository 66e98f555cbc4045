import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExtensionManifest } from '../manifest/manifest.js';
import { CallFailedError } from './call-failed-error.js';
import { main, type CliDependencies } from './main.js';
import type { RunExtension, RunOptions } from './run-command.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function tether(argv: string[], dependencies: Partial<CliDependencies> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    },
    dependencies,
  );
  return { code, stdout, stderr };
}

let root: string;
let extensionDir: string;

async function writeExtension(name: string, tether: Record<string, unknown>): Promise<string> {
  const dir = path.join(root, name);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `@acme/${name}`, version: '1.2.0', tether }),
  );
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-cli-'));
  extensionDir = await writeExtension('kv', {
    entry: 'dist/plugin.js',
    services: { kv: [1, 2] },
    host: '>=0.1.0 <2',
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('tether --help / --version', () => {
  it('--help lists the commands on stdout', async () => {
    const { code, stdout, stderr } = await tether(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('tether run <extension-dir> [--call <service.method> [args...]] [--json]');
    expect(stdout).toMatch(/^ {2}logs\s+Print an extension's log file/m);
    // Terminal extensions are named in the overview, not only in "tether run --help".
    expect(stdout).toMatch(/^ {2}run\s[^]*"runner": "pty"[^]*Enter ~\. stops it/m);
    expect(stdout).toContain('--version');
  });

  it('no arguments prints the usage on stderr and exits 2 (issue 10)', async () => {
    const { code, stdout, stderr } = await tether([]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('Usage:');
  });

  it('tether help [<command>] is --help: stdout, exit 0; an unknown topic is a usage error', async () => {
    expect(await tether(['help'])).toEqual(await tether(['--help']));
    expect((await tether(['help'])).code).toBe(0);
    expect(await tether(['help', 'logs'])).toEqual(await tether(['logs', '--help']));
    expect(await tether(['help', 'lgos'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tether: no command "lgos"; did you mean "logs"?\nRun "tether --help" for usage.\n',
    });
  });

  it('run --help and exec --help show the tagged JSON forms of arguments and results', async () => {
    for (const command of ['run', 'exec']) {
      const { stdout } = await tether([command, '--help']);
      for (const tag of ['$map', '$set', '$date', '$bytes', '$bigint', '$object'])
        expect(stdout).toContain(tag);
      expect(stdout).toContain('--json prints results in the same forms');
    }
    expect((await tether(['run', '--help'])).stdout).toContain('[NOT_FOUND]');
  });

  it('run --help explains --call argument parsing', async () => {
    const { code, stdout } = await tether(['run', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('parsed as');
    expect(stdout).toContain('JSON when it parses');
  });

  it('run --help says how a terminal extension gets the terminal, and how to leave it', async () => {
    const { stdout } = await tether(['run', '--help']);
    expect(stdout).toContain('"runner": "pty"');
    expect(stdout).toContain('Enter ~.');
    expect(stdout).toContain('128 + n');
  });

  it('--version prints the host version', async () => {
    expect(await tether(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('logs without an extension name is a usage error', async () => {
    const { code, stderr } = await tether(['logs']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/tether logs needs the extension name[^]*tether logs --help/);
  });
});

describe('the commands that talk to a running host, without one', () => {
  it('--help names them', async () => {
    const { stdout } = await tether(['--help']);
    expect(stdout).toContain('tether host --extensions <dir> [<dir>...] [--data <dir>]');
    expect(stdout).toContain('tether start|stop|restart|enable|disable <extension> [--data <dir>]');
    expect(stdout).toContain('tether exec <command-id> [args...] [--json] [--data <dir>]');
    expect(stdout).toContain(
      'tether install <file.tgz | extension-dir | https-URL> [--allow-unsigned] [--force] [--data <dir>]',
    );
    expect(stdout).toContain('tether uninstall <extension> [--purge] [--data <dir>]');
    expect((await tether(['host', '--help'])).stdout).toContain('control.sock');
  });

  it.each([['list'], ['start', 'kv'], ['exec', 'kv.export', '1']])(
    '%j fails with status 1, saying how to start a host',
    async (...argv) => {
      const data = path.join(root, 'no-host');
      expect(await tether([...argv, '--data', data])).toEqual({
        code: 1,
        stdout: '',
        stderr: `tether: No tether host is running for data folder ${data}; start one with "tether host --extensions <dir> --data ${data}".\n`,
      });
    },
  );

  it('logs --follow --data without a host says so and follows the log file', async () => {
    const data = path.join(root, 'no-host');
    let stderr = '';
    const code = await main(['logs', 'kv', '--follow', '--data', data], {
      stdout: { write: () => undefined },
      stderr: { write: (text: string) => void (stderr += text) },
      signal: AbortSignal.abort(),
    });
    expect(code).toBe(0);
    expect(stderr).toBe(
      `tether: no tether host is running for data folder ${data}; following the log file instead.\n`,
    );
  });
});

describe('tether: usage errors exit 2 with a hint', () => {
  it('unknown command', async () => {
    expect(await tether(['rnu'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tether: unknown command "rnu"; did you mean "run"?\nRun "tether --help" for usage.\n',
    });
  });

  it('a run usage error points at run --help', async () => {
    const { code, stderr } = await tether(['run']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'tether: tether run needs the extension folder first: tether run <extension-dir> [--call service.method [args...]]\nRun "tether run --help" for usage.\n',
    );
  });
});

describe('tether run', () => {
  it('validates, checks the host, then calls runExtension with the manifest and options', async () => {
    const calls: [ExtensionManifest, string, RunOptions][] = [];
    const runExtension: RunExtension = (manifest, dir, options) => {
      calls.push([manifest, dir, options]);
      options.stdout.write('"value"\n');
      return Promise.resolve(0);
    };
    const result = await tether(
      ['run', extensionDir, '--call', 'kv.get', 'greeting', '{"ttl":5}', '--json'],
      {
        runExtension,
      },
    );
    expect(result).toEqual({ code: 0, stdout: '"value"\n', stderr: '' });
    expect(calls).toHaveLength(1);
    const [manifest, dir, options] = calls[0]!;
    expect(manifest.name).toBe('@acme/kv');
    expect(dir).toBe(extensionDir);
    expect(options).toMatchObject({
      call: { service: 'kv', method: 'get', args: ['greeting', { ttl: 5 }] },
      json: true,
      debug: false,
    });
  });

  it('returns the exit status runExtension gives', async () => {
    const result = await tether(['run', extensionDir], { runExtension: () => Promise.resolve(3) });
    expect(result.code).toBe(3);
  });

  it('resolves a relative folder', async () => {
    const runExtension = vi.fn<RunExtension>(() => Promise.resolve(0));
    await tether(['run', path.relative(process.cwd(), extensionDir)], { runExtension });
    expect(runExtension.mock.calls[0]![1]).toBe(extensionDir);
  });

  it('by default runs through the plugin client: an extension without a cookie is refused with advice', async () => {
    const { code, stdout, stderr } = await tether(['run', extensionDir]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toContain('tether.handshake');
  });

  it('an invalid manifest prints every problem and exits 1, without starting anything', async () => {
    const dir = await writeExtension('broken', {
      entry: '../escape.js',
      services: { kv: [] },
      host: '>=0.1.0',
    });
    const runExtension = vi.fn<RunExtension>();
    const { code, stderr } = await tether(['run', dir], { runExtension });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `tether: Invalid extension manifest in ${path.join(dir, 'package.json')} (2 problems):\n` +
        '  - tether.entry must be a relative path inside the package, like "dist/plugin.js"; got "../escape.js" (it leaves the package with "..")\n' +
        '  - tether.services.kv must list the protocol versions the extension provides, like [1]; got [] (an empty list)\n',
    );
    expect(runExtension).not.toHaveBeenCalled();
  });

  it('an extension for another host version is refused with INCOMPATIBLE_HOST', async () => {
    const dir = await writeExtension('future', { entry: 'p.js', services: { kv: [1] }, host: '>=2.0.0' });
    const runExtension = vi.fn<RunExtension>();
    const { code, stderr } = await tether(['run', dir], { runExtension });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'tether: Extension "@acme/future" 1.2.0 needs a Tether host >=2.0.0; this tether CLI has 0.1.0; update the tether CLI or install an older version of the extension.\n',
    );
    expect(runExtension).not.toHaveBeenCalled();
  });

  it('--call of a service the extension does not provide is refused before starting it', async () => {
    const runExtension = vi.fn<RunExtension>();
    const { code, stderr } = await tether(['run', extensionDir, '--call', 'kb.get'], { runExtension });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'tether: Extension "@acme/kv" provides no service "kb"; did you mean "kv"?; its services are "kv" (tether.services in its package.json).\n',
    );
    expect(runExtension).not.toHaveBeenCalled();
  });

  it('--debug adds the stack and causes', async () => {
    const failing: RunExtension = () =>
      Promise.reject(
        new TetherError('PLUGIN_EXITED', 'the plugin exited with code 3', { cause: new Error('root cause') }),
      );
    const { code, stderr } = await tether(['run', extensionDir, '--debug'], { runExtension: failing });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^tether: the plugin exited with code 3\nTetherError: the plugin exited with code 3\n\s+at /,
    );
    expect(stderr).toContain('Caused by: Error: root cause');
    const quiet = await tether(['run', extensionDir], { runExtension: failing });
    expect(quiet.stderr).toBe('tether: the plugin exited with code 3\n');
  });

  it('a failed --call prints the code, the message and the last lines of the stderrTail it carries', async () => {
    const tail = Array.from({ length: 14 }, (_, i) => `line ${i + 1}`);
    const violation = Object.assign(
      new TetherError<string>('PROTOCOL_VIOLATION', 'Plugin "@acme/kv" sent a frame on a closed channel.'),
      { stderrTail: tail },
    );
    const { code, stderr } = await tether(['run', extensionDir], {
      runExtension: () => Promise.reject(new CallFailedError('kv.get', violation)),
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'tether: kv.get failed: TetherError [PROTOCOL_VIOLATION]: Plugin "@acme/kv" sent a frame on a closed channel.\n' +
        `Its last stderr lines:\n${tail
          .slice(-10)
          .map((line) => `  ${line}\n`)
          .join('')}`,
    );
    const plain = await tether(['run', extensionDir], {
      runExtension: () => Promise.reject(new CallFailedError('kv.get', new TypeError('x is not a function'))),
    });
    expect(plain.stderr).toBe(
      'tether: kv.get failed: TypeError: x is not a function\n(unexpected error; run again with --debug for the stack trace)\n',
    );
  });

  it('with --json a failure is one line of JSON on stderr: name, code, message, fields, cause, call, tail', async () => {
    const quota = Object.assign(
      new TetherError<string>('QUOTA_EXCEEDED', 'used up', { cause: new RangeError('limit') }),
      { name: 'QuotaError', limit: 10n, stderrTail: ['last words'] },
    );
    const failing = (): Promise<number> => Promise.reject(new CallFailedError('kv.get', quota));
    const { code, stdout, stderr } = await tether(['run', extensionDir, '--json'], { runExtension: failing });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.endsWith('\n') && stderr.split('\n')).toHaveLength(2);
    expect(JSON.parse(stderr)).toEqual({
      name: 'QuotaError',
      code: 'QUOTA_EXCEEDED',
      message: 'used up',
      limit: { $bigint: '10' },
      stderrTail: ['last words'],
      cause: { name: 'RangeError', message: 'limit' },
      call: 'kv.get',
    });
    // Not a call: the error itself; --debug adds the stack.
    const plain = await tether(['run', extensionDir, '--json', '--debug'], {
      runExtension: () => Promise.reject(new TetherError('PLUGIN_EXITED', 'gone')),
    });
    expect(JSON.parse(plain.stderr)).toMatchObject({
      name: 'TetherError',
      code: 'PLUGIN_EXITED',
      message: 'gone',
      stack: expect.stringMatching(/^TetherError: gone\n\s+at /) as unknown,
    });
  });

  it('stderr lines the error message already quotes are not printed twice', async () => {
    const tail = ['', 'Error: boom', '    at main (plugin.js:1:1)', ''];
    const exited = Object.assign(
      new TetherError<string>(
        'PLUGIN_EXITED',
        `Plugin "@acme/kv" exited with code 1. Its last stderr lines:\n${tail.join('\n')}\nFix the error it reports.`,
      ),
      { stderrTail: tail },
    );
    const { stderr } = await tether(['run', extensionDir], {
      runExtension: () => Promise.reject(new CallFailedError('start @acme/kv', exited)),
    });
    expect(stderr.match(/Error: boom/g)).toHaveLength(1);
  });

  it('an unexpected (non-Tether) error suggests --debug', async () => {
    const { code, stderr } = await tether(['run', extensionDir], {
      runExtension: () => Promise.reject(new TypeError('x is not a function')),
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'tether: x is not a function\n(unexpected error; run again with --debug for the stack trace)\n',
    );
  });
});
