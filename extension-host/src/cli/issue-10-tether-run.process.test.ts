// Issue 10, end to end: the real `tether` command (bin/tether.js) in its own process, starting real plugin
// processes — sample 01-greeter, and stop-misbehaving-plugin.ts in each of its modes.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STOP_FIXTURE_NAME,
  writeStopFixtureExtension,
  type StopMode,
} from './test-fixtures/stop-fixture-extension.js';

const bin = fileURLToPath(new URL('../../bin/tether.js', import.meta.url));
const greeter = fileURLToPath(new URL('../../../sample-extensions/01-greeter', import.meta.url));
/** Node + tsx twice (CLI and plugin), and up to two stop graces: generous for a loaded 2-core machine. */
const TEST_TIMEOUT_MS = 60_000;

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tether <args>` to its end; rejects only when it could not run or did not end in time. */
function tether(
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: options.cwd, env: options.env, timeout: TEST_TIMEOUT_MS - 5_000 },
      (error, stdout, stderr) => {
        if (error === null) resolve({ code: 0, stdout, stderr });
        else if (typeof error.code === 'number') resolve({ code: error.code, stdout, stderr });
        else
          reject(new Error(`tether ${args.join(' ')} did not run to its end: ${error.message}\n${stderr}`));
      },
    );
  });
}

/** Starts `tether <args>`, waits until its stderr matches `ready`, sends it `signal`, and runs it to its end. */
function tetherUntil(
  args: readonly string[],
  ready: RegExp,
  signal: NodeJS.Signals,
  options: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tether ${args.join(' ')} did not end in time; stderr so far:\n${stderr}`));
    }, TEST_TIMEOUT_MS - 5_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!signalled && ready.test(stderr)) {
        signalled = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code, killedBy) => {
      clearTimeout(timer);
      if (code === null)
        reject(new Error(`tether ${args.join(' ')} was killed by ${String(killedBy)}; stderr:\n${stderr}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** The folders above `dir` (itself included) that hold a package.json. */
function packageJsonsAbove(dir: string): string[] {
  const found: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'package.json'))) found.push(current);
    if (path.dirname(current) === current) return found;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

const scratch: string[] = [];
let logDir = '';
/** The environment of a CLI run: this one, with the logs in a scratch folder. */
let env: Record<string, string | undefined> = {};
beforeAll(async () => {
  logDir = await mkdtemp(path.join(tmpdir(), 'tether-issue-10-logs-'));
  scratch.push(logDir);
  env = { ...process.env, TETHER_LOG_DIR: logDir };
});
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('issue 10: tether run from a folder with no package.json above it', () => {
  it(
    'runs, and writes the log under the Tether data dir instead of asking electron-log for an app name',
    async () => {
      // A home directory, as the report had it: the working directory, and HOME for the default log dir.
      const home = await mkdtemp(path.join(tmpdir(), 'tether-issue-10-home-'));
      scratch.push(home);
      expect(packageJsonsAbove(home)).toEqual([]);
      const { TETHER_LOG_DIR: _l, XDG_STATE_HOME: _s, ...rest } = process.env;
      const ran = await tether(['run', greeter, '--call', 'greeter.greet', 'home'], {
        cwd: home,
        env: { ...rest, HOME: home },
      });
      expect(ran.stderr).not.toContain('electron-log');
      expect(ran).toMatchObject({ code: 0, stdout: "'Hello, home!'\n" });
      // Only the extension's own log, in the folder `tether logs` reads (~/.local/state/tether/logs).
      const log = path.join('.local', 'state', 'tether', 'logs', '_tether-samples_greeter.log');
      expect(await filesUnder(home)).toEqual([log]);
      expect(await readFile(path.join(home, log), 'utf8')).toMatch(/INFO.*greeting.*"name":"home"/);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('issue 10: tether run --call says when the plugin does not stop cleanly, and exits 1', () => {
  async function runFixture(
    mode: StopMode,
    call: readonly string[] = ['stopFixture.echo', 'hi'],
  ): Promise<Ran> {
    const dir = await writeStopFixtureExtension(mode);
    scratch.push(dir);
    return tether(['run', dir, '--call', ...call], { cwd: tmpdir(), env });
  }

  it(
    'a plugin that stops cleanly: the result, exit 0, nothing said',
    async () => {
      const ran = await runFixture('well-behaved');
      expect(ran).toEqual({ code: 0, stdout: "'hi'\n", stderr: '' });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a plugin that exits with code 3 when asked to stop',
    async () => {
      const ran = await runFixture('exit-3-on-stop');
      expect(ran).toMatchObject({ code: 1, stdout: "'hi'\n" });
      expect(ran.stderr).toMatch(
        new RegExp(`^tether: ${STOP_FIXTURE_NAME} exited with code 3 when asked to stop; .*onStop`, 'm'),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a plugin that does not stop within the grace is killed by SIGTERM',
    async () => {
      const ran = await runFixture('block-on-stop');
      expect(ran).toMatchObject({ code: 1, stdout: "'hi'\n" });
      expect(ran.stderr).toContain(
        `tether: ${STOP_FIXTURE_NAME} did not stop within 2000 ms of being asked and was killed (SIGTERM)`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a plugin that ignores SIGTERM too is killed by SIGKILL',
    async () => {
      const ran = await runFixture('ignore-sigterm');
      expect(ran).toMatchObject({ code: 1, stdout: "'hi'\n" });
      expect(ran.stderr).toContain(
        `tether: ${STOP_FIXTURE_NAME} did not stop within 2000 ms of being asked, nor within 2000 ms of SIGTERM, and was killed (SIGKILL)`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a failed call prints the error code, the message and the stderr tail the error carries',
    async () => {
      const ran = await runFixture('well-behaved', ['stopFixture.crash', '4']);
      expect(ran).toMatchObject({ code: 1, stdout: '' });
      expect(ran.stderr).toMatch(
        /^tether: stopFixture\.crash failed: PluginExitedError \[PLUGIN_EXITED\]: .*\nIts last stderr lines:\n {2}fixture: about to crash\n {2}fixture: exiting with code 4\n$/m,
      );
      // It crashed: it was never asked to stop, and the call's error already says it is gone.
      expect(ran.stderr).not.toContain('when asked to stop');
    },
    TEST_TIMEOUT_MS,
  );
});

describe('issue 10: tether run --call against a plugin that breaks the protocol', () => {
  it(
    'says PROTOCOL_VIOLATION with what was wrong and the stderr tail, not "closed its connection"',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'tether-hostile-'));
      scratch.push(dir);
      const hostile = fileURLToPath(new URL('../client/test-fixtures/hostile-plugin.ts', import.meta.url));
      await writeFile(
        path.join(dir, 'plugin.ts'),
        `process.argv[2] = 'oversize-frame';\nawait import(${JSON.stringify(hostile)});\n`,
      );
      await writeFile(
        path.join(dir, 'package.json'),
        JSON.stringify({
          name: 'hostile',
          version: '1.0.0',
          type: 'module',
          tether: {
            entry: 'plugin.ts',
            services: { fixture: [1] },
            host: '>=0.1.0',
            handshake: { cookieKey: 'TETHER_FIXTURE_COOKIE', cookieValue: 'fixture-7f3a' },
          },
        }),
      );
      const ran = await tether(['run', dir, '--call', 'fixture.add', '1', '2'], { cwd: tmpdir(), env });
      expect(ran).toMatchObject({ code: 1, stdout: '' });
      expect(ran.stderr).toMatch(
        /^tether: fixture\.add failed: \w+ \[PROTOCOL_VIOLATION\]: Plugin "hostile" broke the Tether protocol while fixture\.add was pending: .*300000 bytes/m,
      );
      expect(ran.stderr).toContain('hostile: connected, about to misbehave');
      expect(ran.stderr).not.toContain('closed its connection while');
    },
    TEST_TIMEOUT_MS,
  );
});

describe('issue 10: tether run --call of a terminal extension says so too, and exits with its status', () => {
  it.each([
    ['exit-3-on-stop', 3, 'exited with code 3 when asked to stop'],
    ['block-on-stop', 143, 'did not stop within 2000 ms of being asked and was killed (SIGTERM)'],
  ] as const)(
    '%s: exit %i',
    async (mode, code, said) => {
      const dir = await writeStopFixtureExtension(mode, 'pty');
      scratch.push(dir);
      // stdout is not a terminal here: it gets the result alone, the plugin's screen goes to stderr.
      const ran = await tether(['run', dir, '--call', 'stopFixture.echo', 'hi'], { cwd: tmpdir(), env });
      expect(ran).toMatchObject({ code, stdout: "'hi'\n" });
      expect(ran.stderr).toContain(`tether: ${STOP_FIXTURE_NAME} ${said}`);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('issue 10: tether run stopped with Ctrl-C says when the plugin does not stop cleanly', () => {
  it.each([
    ['well-behaved', 0],
    ['exit-3-on-stop', 1],
  ] as const)(
    '%s: exit %i',
    async (mode, code) => {
      const dir = await writeStopFixtureExtension(mode);
      scratch.push(dir);
      const ran = await tetherUntil(['run', dir], /is running .*Ctrl-C stops it/, 'SIGINT', {
        cwd: tmpdir(),
        env,
      });
      expect(ran.code).toBe(code);
      const said = `tether: ${STOP_FIXTURE_NAME} exited with code 3 when asked to stop`;
      if (code === 0) expect(ran.stderr).not.toContain(said);
      else expect(ran.stderr).toContain(said);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('issue 10: bare tether', () => {
  it(
    'prints the usage on stderr and exits 2',
    async () => {
      const ran = await tether([], { cwd: tmpdir(), env });
      expect(ran).toMatchObject({ code: 2, stdout: '' });
      expect(ran.stderr).toContain('Usage:\n  tether run <extension-dir>');
    },
    TEST_TIMEOUT_MS,
  );
});
