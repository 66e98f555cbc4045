// The passthrough with real pseudo-terminals: piped input in this process, and a real TTY (an outer
// terminal running a host that passes its terminal through, as `tether run` does).
import { fileURLToPath } from 'node:url';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { TerminalPassthrough } from './terminal-passthrough.js';
import { NodePtyTerminal } from './test-fixtures/node-pty-terminal.js';
import { OuterTerminal } from './test-fixtures/outer-terminal.js';

const passthroughHost = fileURLToPath(new URL('./test-fixtures/passthrough-host.ts', import.meta.url));

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const dispose of cleanup.splice(0)) dispose();
});

function collect(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function exitOf(terminal: NodePtyTerminal): Promise<unknown> {
  return new Promise((resolve) => {
    if (terminal.exitStatus !== undefined) resolve(terminal.exitStatus);
    terminal.onDidExit(resolve);
  });
}

describe('TerminalPassthrough, piped stdin (not a TTY)', () => {
  it('passes bytes both ways without raw mode, and sends the end of input as Ctrl-D', async () => {
    const stdin = new PassThrough();
    const stdout = collect();
    const terminal = new NodePtyTerminal('cat', []);
    cleanup.push(() => terminal.dispose());
    const passthrough = new TerminalPassthrough(terminal, { stdin, stdout: stdout.stream });
    expect(passthrough.raw).toBe(false);
    stdin.write('hello through a pty\n');
    stdin.end();
    // cat reads the line and ends at the Ctrl-D that stands for the pipe's end; without it, cat would wait
    // for more input forever. (Its status is not checked: node-pty sometimes reports a SIGHUP for cat.)
    await exitOf(terminal);
    // Once from the pty's echo, once from cat.
    expect(stdout.text().split('hello through a pty\r\n')).toHaveLength(3);
  });

  it('holds the plugin while stdout is slow, instead of buffering its output', async () => {
    const total = 2 * 1024 * 1024;
    // The program stays alive after writing: node-pty drops what is still unread (paused) 200 ms after
    // the process exits, and this test is about the passthrough, not about that.
    const terminal = new NodePtyTerminal(process.execPath, [
      '-e',
      `process.stdout.write('x'.repeat(${total}) + 'END'); setInterval(() => {}, 1000);`,
    ]);
    cleanup.push(() => terminal.dispose());
    let received = '';
    let maxBuffered = 0;
    const highWaterMark = 16 * 1024;
    const allReceived = new Promise<void>((resolve) => {
      const slow = new Writable({
        highWaterMark,
        write(chunk: Buffer, _encoding, callback) {
          received += chunk.toString('latin1');
          if (received.endsWith('END')) resolve();
          setTimeout(callback, 2);
        },
      });
      const write = slow.write.bind(slow);
      slow.write = ((chunk: Buffer) => {
        const ok = write(chunk);
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        return ok;
      }) as typeof slow.write;
      const passthrough = new TerminalPassthrough(terminal, { stdin: new PassThrough(), stdout: slow });
      cleanup.push(() => passthrough.dispose());
    });
    await allReceived;
    expect(received).toBe(`${'x'.repeat(total)}END`);
    expect(terminal.pauses).toBeGreaterThan(0);
    // Bounded by the stream's buffer plus what one read of the pty brings, not by the 2 MiB written.
    expect(maxBuffered).toBeLessThan(highWaterMark + 256 * 1024);
  }, 60_000);

  it('restores idempotently and leaves no listener behind', () => {
    const stdin = new PassThrough();
    const stdout = collect();
    const counts = (): number[] => [
      stdin.listenerCount('data'),
      stdin.listenerCount('end'),
      stdin.listenerCount('error'),
      stdout.stream.listenerCount('error'),
      stdout.stream.listenerCount('drain'),
      stdout.stream.listenerCount('resize'),
      process.listenerCount('exit'),
    ];
    const before = counts();
    const terminal = new NodePtyTerminal('cat', []);
    cleanup.push(() => terminal.dispose());
    const passthrough = new TerminalPassthrough(terminal, { stdin, stdout: stdout.stream });
    expect(counts()).not.toEqual(before);
    passthrough.restore();
    passthrough.restore();
    passthrough.dispose();
    passthrough.dispose();
    expect(counts()).toEqual(before);
    expect(stdin.isPaused()).toBe(true);
  });

  it('recognises Enter ~. when asked to, restoring before it says so', async () => {
    const stdin = new PassThrough();
    const terminal = new NodePtyTerminal('cat', []);
    cleanup.push(() => terminal.dispose());
    const passthrough = new TerminalPassthrough(terminal, { stdin, stdout: collect().stream, escape: true });
    cleanup.push(() => passthrough.dispose());
    const detached = new Promise<number>((resolve) =>
      passthrough.onDidDetach(() => resolve(stdin.listenerCount('data'))),
    );
    stdin.write('line\r~.');
    expect(await detached).toBe(0);
    expect(terminal.exitStatus).toBeUndefined(); // stopping the plugin is the owner's decision
  });
});

describe('TerminalPassthrough, a real TTY', () => {
  function startHost(): OuterTerminal {
    const outer = new OuterTerminal(
      process.execPath,
      ['--conditions=tether-source', '--import', TSX_LOADER, passthroughHost],
      { cols: 80, rows: 24 },
    );
    cleanup.push(() => outer.dispose());
    return outer;
  }

  /** The `stty -g` settings printed by the host before and after the passthrough. */
  function settings(screen: string): { before: string; after: string; raw: string } {
    const before = /BEFORE (\S+)/.exec(screen)?.[1];
    const after = /AFTER (\S+) raw=(\w+)/.exec(screen);
    if (before === undefined || after === null) throw new Error(`no settings on the screen:\n${screen}`);
    return { before, after: after[1]!, raw: after[2]! };
  }

  it('raw mode: keys (Ctrl-C too) reach the program as bytes, unechoed; resize follows; restored after', async () => {
    const outer = startHost();
    await outer.waitFor(/READY \d+x\d+/);
    let mark = outer.mark();
    outer.type('z');
    await outer.waitFor('GOT 7a', mark);
    // The user's terminal is raw: it did not echo the "z" (only the program's report shows).
    expect(outer.screen.slice(mark)).not.toContain('z');
    mark = outer.mark();
    outer.type('\x03');
    // Ctrl-C is a byte for the program; the host is not interrupted.
    await outer.waitFor('GOT 03', mark);
    mark = outer.mark();
    outer.resize(100, 30);
    await outer.waitFor('SIZE 100x30', mark);
    outer.type('q');
    await outer.waitFor('EXITED {"code":0,"signal":null}');
    await outer.waitFor(/AFTER \S+ raw=\w+/);
    // The host ends by itself: stdin no longer holds its event loop.
    expect(await outer.waitForExit()).toEqual({ exitCode: 0, signal: 0 });
    const { before, after, raw } = settings(outer.screen);
    expect(after).toBe(before);
    expect(raw).toBe('false');
  }, 60_000);

  it('Enter ~. gives the terminal back even though the program ignores every key', async () => {
    const outer = startHost();
    await outer.waitFor(/READY \d+x\d+/);
    const mark = outer.mark();
    outer.type('\r');
    await outer.waitFor('GOT 0d', mark);
    outer.type('~.');
    await outer.waitFor('DETACHED', mark);
    await outer.waitFor('EXITED {"code":null,"signal":"SIGKILL"}', mark);
    await outer.waitFor(/AFTER \S+ raw=\w+/);
    expect(await outer.waitForExit()).toEqual({ exitCode: 0, signal: 0 });
    expect(outer.screen.slice(mark)).not.toContain('GOT 7e'); // the ~ never reached the program
    const { before, after, raw } = settings(outer.screen);
    expect(after).toBe(before);
    expect(raw).toBe('false');
  }, 60_000);
});
