import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTetherError } from '@tether/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import type * as ChildProcessModule from 'node:child_process';
import { sha256File } from '../process/checksum.js';
import type { OutputWriter } from '../process/output-mirror.js';
import { NodeRunner } from './node-runner.js';
import { PluginExitedError } from './plugin-exited-error.js';
import type { LaunchedPlugin, OutputLine } from './runner.js';
import type { RunnerOptions } from './runner-options.js';
import { FIXTURE_NODE_ARGS, FIXTURE_PLUGIN as fixture } from './test-fixtures/fixture-paths.js';

// Every spawn is recorded, so a test can tell that nothing was spawned (without waiting to see nothing happen).
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof ChildProcessModule>();
  return { ...actual, spawn: vi.fn(actual.spawn) };
});

let socketParent: string;
const launched: LaunchedPlugin[] = [];

beforeEach(async () => {
  socketParent = await mkdtemp(join(tmpdir(), 'tether-runner-test-'));
});

afterEach(async () => {
  await Promise.all(launched.splice(0).map((plugin) => plugin.terminate(0)));
  await rm(socketParent, { recursive: true, force: true });
});

async function launch(
  mode: string,
  extraArgs: string[] = [],
  options: RunnerOptions = {},
  handshakeEnv: Record<string, string> = {},
): Promise<LaunchedPlugin> {
  const runner = new NodeRunner({ output: null, socketDirParent: socketParent, ...options });
  const plugin = await runner.launch(
    { name: mode, entry: fixture, nodeArgs: FIXTURE_NODE_ARGS, args: [mode, ...extraArgs] },
    handshakeEnv,
  );
  launched.push(plugin);
  return plugin;
}

function collectLines(plugin: LaunchedPlugin): OutputLine[] {
  const lines: OutputLine[] = [];
  plugin.onDidWriteLine((line) => lines.push(line));
  return lines;
}

function nextLine(plugin: LaunchedPlugin, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve) => {
    const subscription = plugin.onDidWriteLine(({ line }) => {
      const match = pattern.exec(line);
      if (match === null) return;
      subscription.dispose();
      resolve(match);
    });
  });
}

function exited(plugin: LaunchedPlugin): Promise<void> {
  if (plugin.exitStatus !== undefined) return Promise.resolve();
  return new Promise((resolve) => plugin.onDidExit(() => resolve()));
}

/** Alive and not a zombie (a zombie waits only for its new parent to reap it). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

async function waitUntilDead(pid: number): Promise<void> {
  await waitFor(() => !isAlive(pid), { what: `process ${pid} to be gone`, intervalMs: 20 });
}

describe('NodeRunner: connection', () => {
  it('resolves connection() when the plugin connects, and removes the socket directory once it is accepted', async () => {
    const plugin = await launch('connect');
    expect(await readdir(socketParent)).toHaveLength(1);
    const transport = await plugin.connection();
    const hello = await new Promise<string>((resolve) =>
      transport.onDidReceive((bytes) => resolve(Buffer.from(bytes).toString())),
    );
    expect(hello).toBe('hello');
    // Until the client has checked the connection (the per-launch secret), the socket stays.
    expect(await readdir(socketParent)).toHaveLength(1);
    plugin.acceptConnection();
    expect(await readdir(socketParent)).toEqual([]);
    // Closing the connection makes the fixture exit 0.
    transport.close();
    await exited(plugin);
    expect(plugin.exitStatus).toEqual({ code: 0, signal: null });
  });

  it('rejects connection() with PLUGIN_EXITED, the exit code and the stderr tail when it exits first', async () => {
    const plugin = await launch('exit-early');
    const error = await plugin.connection().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PluginExitedError);
    expect(isTetherError(error, 'PLUGIN_EXITED')).toBe(true);
    const exitedError = error as PluginExitedError;
    expect(exitedError.message).toContain('exited with code 3 before it connected');
    expect(exitedError.message).toContain('boom: the configuration file is missing');
    expect(exitedError.exitStatus).toEqual({ code: 3, signal: null });
    expect(exitedError.stderrTail).toEqual(['starting up', 'boom: the configuration file is missing']);
    expect(plugin.stderrTail()).toEqual(exitedError.stderrTail);
    expect(await readdir(socketParent)).toEqual([]);
  });
});

describe('NodeRunner: output', () => {
  it('delivers stdout and stderr lines: CRLF, a 1 MiB line in capped pieces, a split character, no final newline', async () => {
    const plugin = await launch('output');
    const lines = collectLines(plugin);
    await exited(plugin);
    const stdout = lines.filter((l) => l.stream === 'stdout');
    expect(stdout.slice(0, 2)).toEqual([
      { stream: 'stdout', line: 'first', truncated: false },
      { stream: 'stdout', line: 'second', truncated: false },
    ]);
    const pieces = stdout.slice(2, 18);
    expect(pieces.map((p) => p.line.length)).toEqual(new Array<number>(16).fill(64 * 1024));
    expect(pieces.map((p) => p.truncated)).toEqual([...new Array<boolean>(15).fill(true), false]);
    expect(pieces.every((p) => /^x+$/.test(p.line))).toBe(true);
    expect(stdout[18]).toEqual({ stream: 'stdout', line: '€ after split', truncated: false });
    expect(stdout).toHaveLength(19);
    expect(lines.filter((l) => l.stream === 'stderr')).toEqual([
      { stream: 'stderr', line: 'last line without a newline', truncated: false },
    ]);
    expect(plugin.exitStatus).toEqual({ code: 0, signal: null });
  });

  it('mirrors output as [name] line to the host writer', async () => {
    const written: string[] = [];
    const writer: OutputWriter = { write: (text) => (written.push(text), true), once: () => undefined };
    const plugin = await launch('exit-early', [], { output: writer });
    await exited(plugin);
    // Lines read in one turn of the event loop go out in one write.
    expect(written.join('')).toBe(
      '[exit-early] starting up\n[exit-early] boom: the configuration file is missing\n',
    );
  });

  it('issue-147: a stderr flood into a writer that never drains neither blocks the plugin nor grows without bound', async () => {
    const total = 200_000; // about 21 MB of stderr
    class StuckWriter extends EventEmitter implements OutputWriter {
      readonly written: string[] = [];
      write(text: string): boolean {
        this.written.push(text);
        return false;
      }
    }
    const writer = new StuckWriter();
    const plugin = await launch('flood', [String(total)], { output: writer, mirrorBufferChars: 64 * 1024 });
    let stderrLines = 0;
    plugin.onDidWriteLine(({ stream }) => {
      if (stream === 'stderr') stderrLines++;
    });
    const done = nextLine(plugin, /^flood done (\d+)$/);
    // The plugin finishes writing everything although the writer never drained.
    expect((await done)[1]).toBe(String(total));
    await exited(plugin);
    expect(plugin.exitStatus).toEqual({ code: 0, signal: null });
    expect(stderrLines).toBe(total);
    expect(writer.written).toHaveLength(1);
    const first = writer.written[0]!;
    expect(plugin.stderrTail()).toHaveLength(50);
    expect(plugin.stderrTail().at(-1)).toMatch(new RegExp(`^${total} e+$`));

    // When the writer finally drains, the held lines come out, then how many were lost.
    writer.written.length = 0;
    (writer as { write(text: string): boolean }).write = (text) => (writer.written.push(text), true);
    writer.emit('drain');
    const notice = writer.written.at(-1)!;
    expect(notice).toMatch(/^\[flood\] … \d+ lines dropped \(the output writer was too slow\)\n$/);
    const held = writer.written.slice(0, -1).join('');
    expect(held.length).toBeLessThanOrEqual(64 * 1024);
    const heldLines = held.split('\n').length - 1;
    // The first write (the lines of the first turn, taken before the writer reported full) counts too.
    const firstLines = first.split('\n').length - 1;
    // Every stderr line and the stdout 'flood done' line: written, held or counted as dropped.
    expect(firstLines + heldLines + Number(/… (\d+) lines/.exec(notice)![1])).toBe(total + 1);
  });
});

describe('NodeRunner: environment and entry', () => {
  it('passes no host secrets: only the allowlist, the spec env and the handshake env', async () => {
    const hostEnv = {
      ...process.env,
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      GITHUB_TOKEN: 'gh-token',
      MY_API_KEY: 'api-key',
      NODE_OPTIONS: '--max-old-space-size=100',
      LC_ALL: 'C',
    };
    const runner = new NodeRunner({ output: null, socketDirParent: socketParent, hostEnv });
    const plugin = await runner.launch(
      {
        name: 'env',
        entry: fixture,
        nodeArgs: FIXTURE_NODE_ARGS,
        args: ['env'],
        env: { EXTENSION_SETTING: 'on' },
      },
      { TETHER_PLUGIN_NAME: 'env', TETHER_CORE_PROTOCOL: '1' },
    );
    launched.push(plugin);
    const json = (await nextLine(plugin, /^\{.*\}$/))[0];
    const env = JSON.parse(json) as Record<string, string>;
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    expect(env).not.toHaveProperty('GITHUB_TOKEN');
    expect(env).not.toHaveProperty('MY_API_KEY');
    expect(env).not.toHaveProperty('NODE_OPTIONS');
    expect(json).not.toMatch(/aws-secret|gh-token|api-key/);
    expect(env).toMatchObject({
      LC_ALL: 'C',
      EXTENSION_SETTING: 'on',
      TETHER_PLUGIN_NAME: 'env',
      TETHER_CORE_PROTOCOL: '1',
    });
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.TETHER_SOCKET).toMatch(/plugin\.sock$/);
    const allowed = new Set([
      'PATH',
      'HOME',
      'USER',
      'LOGNAME',
      'LANG',
      'LANGUAGE',
      'TZ',
      'TMPDIR',
      'TEMP',
      'TMP',
      'TERM',
    ]);
    const unexpected = Object.keys(env).filter(
      (name) =>
        !allowed.has(name) &&
        !name.startsWith('LC_') &&
        !name.startsWith('TETHER_') &&
        name !== 'EXTENSION_SETTING',
    );
    expect(unexpected).toEqual([]);
  });

  it('refuses to launch on a checksum mismatch, spawning nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tether-checksum-test-'));
    try {
      const entry = join(dir, 'marker.mjs');
      const marker = join(dir, 'ran');
      await writeFile(
        entry,
        `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\n`,
      );
      const actual = await sha256File(entry);
      const expected = 'ab'.repeat(32);
      const runner = new NodeRunner({ output: null, socketDirParent: socketParent });
      const error = await runner.launch({ name: 'tampered', entry, sha256: expected }, {}).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTetherError(error, 'CHECKSUM_MISMATCH')).toBe(true);
      expect((error as Error).message).toContain(expected);
      expect((error as Error).message).toContain(actual);
      expect((error as Error).message).toContain('Reinstall the extension');
      // Nothing was spawned for it (and the one launch below proves the spy sees the runner's spawns).
      const spawnsOf = () => vi.mocked(spawn).mock.calls.filter(([, args]) => args?.includes(entry)).length;
      expect(spawnsOf()).toBe(0);
      expect(await readdir(dir)).toEqual(['marker.mjs']);
      expect(await readdir(socketParent)).toEqual([]);

      // The right checksum (any case) launches.
      const plugin = await runner.launch({ name: 'ok', entry, sha256: actual.toUpperCase() }, {});
      launched.push(plugin);
      await exited(plugin);
      expect(spawnsOf()).toBe(1);
      expect(await readdir(dir)).toContain('ran');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails with ENTRY_NOT_FOUND naming the path and the tether.entry field', async () => {
    const runner = new NodeRunner({ output: null, socketDirParent: socketParent });
    const missing = join(socketParent, 'dist', 'missing.js');
    const error = await runner.launch({ name: 'missing', entry: missing }, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTetherError(error, 'ENTRY_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain(
      "check the `tether.entry` field of the extension's package.json".slice(1),
    );
    expect(await readdir(socketParent)).toEqual([]);
  });
});

describe('NodeRunner: stopping', () => {
  it('terminate() SIGKILLs a plugin that ignores SIGTERM once the grace is over', async () => {
    const plugin = await launch('ignore-term');
    await nextLine(plugin, /^ready$/);
    const started = Date.now();
    await plugin.terminate(300);
    const took = Date.now() - started;
    expect(plugin.exitStatus).toEqual({ code: null, signal: 'SIGKILL' });
    expect(took).toBeGreaterThanOrEqual(290);
    // A generous bound, not a figure (a loaded machine is slow): SIGKILL follows the grace, not much later.
    expect(took).toBeLessThan(300 + 5000);
    await waitUntilDead(plugin.pid);
  });

  it('terminate() resolves as soon as a plugin that honours SIGTERM exits', async () => {
    const plugin = await launch('connect');
    await plugin.connection();
    const started = Date.now();
    await plugin.terminate(10_000);
    // A generous bound, not a figure: well inside the 10 s grace, so the exit ended the wait.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(plugin.exitStatus).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('issue-136: a grandchild spawned by the plugin dies with it, even one that ignores SIGTERM', async () => {
    const plugin = await launch('grandchild');
    const grandchildPid = Number((await nextLine(plugin, /^grandchild (\d+)$/))[1]);
    expect(isAlive(grandchildPid)).toBe(true);
    await plugin.terminate(2000);
    expect(plugin.exitStatus).toEqual({ code: null, signal: 'SIGTERM' });
    await waitUntilDead(grandchildPid);
    await waitUntilDead(plugin.pid);
  });

  it('issue-320: signal() does nothing once the exit was observed', async () => {
    const plugin = await launch('exit-early');
    await exited(plugin);
    const kill = vi.spyOn(process, 'kill');
    try {
      plugin.signal('SIGTERM');
      plugin.signal('SIGKILL');
      await plugin.terminate(1000);
      plugin.dispose();
      expect(kill).not.toHaveBeenCalled();
    } finally {
      kill.mockRestore();
    }
  });

  it('dispose() is idempotent and leaves no process, socket or temp directory behind', async () => {
    const connected = await launch('connect');
    const transport = await connected.connection();
    const pending = await launch('ignore-term');
    await nextLine(pending, /^ready$/);
    for (const plugin of [connected, pending]) {
      plugin.dispose();
      plugin.dispose();
    }
    expect(transport.closed).toBe(true);
    const error = await pending.connection().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTetherError(error, 'CONNECTION_CLOSED')).toBe(true);
    await Promise.all([exited(connected), exited(pending)]);
    expect(pending.exitStatus).toEqual({ code: null, signal: 'SIGKILL' });
    await waitUntilDead(connected.pid);
    await waitUntilDead(pending.pid);
    expect(await readdir(socketParent)).toEqual([]);
  });
});
