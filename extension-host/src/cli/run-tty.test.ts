// `tether run` of a terminal extension (sample 05-tty), driven like a user would: the CLI runs inside an
// outer pseudo-terminal that stands for the user's terminal; the test types, reads the screen, resizes,
// signals, and checks the terminal's settings afterwards.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from '../client/test-fixtures/is-running.js';
import { TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { OuterTerminal } from './test-fixtures/outer-terminal.js';

const sample = fileURLToPath(new URL('../../../sample-extensions/05-tty', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/tether.js', import.meta.url));
const cliInTerminal = fileURLToPath(new URL('./test-fixtures/cli-in-terminal.ts', import.meta.url));
const PROMPT = 'tty> ';
/** Each test starts Node + tsx twice (CLI and plugin): generous for a loaded 2-core machine. */
const TEST_TIMEOUT_MS = 90_000;

let logDir = '';
beforeAll(async () => {
  logDir = await mkdtemp(join(tmpdir(), 'tether-run-tty-'));
});
afterAll(async () => {
  await rm(logDir, { recursive: true, force: true });
});

const terminals: OuterTerminal[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.dispose();
});

/** `tether <args>` in-process (see cli-in-terminal.ts) in a fresh outer terminal. */
function tether(args: readonly string[], size = { cols: 80, rows: 24 }): OuterTerminal {
  const outer = new OuterTerminal(
    process.execPath,
    ['--conditions=tether-source', '--import', TSX_LOADER, cliInTerminal, ...args],
    { ...size, env: { TETHER_LOG_DIR: logDir } },
  );
  terminals.push(outer);
  return outer;
}

/** The settings and state cli-in-terminal.ts printed, once the CLI has returned. */
async function ending(
  outer: OuterTerminal,
): Promise<{ before: string; after: string; raw: string; code: number }> {
  await outer.waitFor(/AFTER \S+ raw=\w+ code=\d+/);
  const before = /BEFORE (\S+)/.exec(outer.screen)![1]!;
  const [, after, raw, code] = /AFTER (\S+) raw=(\w+) code=(\d+)/.exec(outer.screen)!;
  // The process ends by itself: the CLI left nothing (stdin, signal handlers, timers) holding it.
  expect((await outer.waitForExit()).exitCode).toBe(Number(code));
  return { before, after: after!, raw: raw!, code: Number(code) };
}

async function expectRestored(outer: OuterTerminal, code: number): Promise<void> {
  const end = await ending(outer);
  expect(end).toEqual({ before: end.before, after: end.before, raw: 'false', code });
}

/** Starts the REPL; resolves with the plugin's pid (from its banner). */
async function startRepl(outer: OuterTerminal): Promise<number> {
  const banner = await outer.waitFor(/pid \d+, \d+x\d+\)/);
  await outer.waitFor(PROMPT);
  return Number(/pid (\d+)/.exec(banner)![1]);
}

/** Types a command line and waits for `expected` after it, then for the next prompt. */
async function command(outer: OuterTerminal, line: string, expected: string | RegExp): Promise<string> {
  const mark = outer.mark();
  outer.type(`${line}\r`);
  const found = await outer.waitFor(expected, mark);
  await outer.waitFor(PROMPT, outer.screen.indexOf(found, mark) + found.length);
  return outer.screen.slice(mark);
}

describe('tether run <terminal extension>, as a user', () => {
  it(
    'login: the password is read without being shown',
    async () => {
      const outer = tether(['run', sample]);
      await startRepl(outer);
      const mark = outer.mark();
      outer.type('login\r');
      await outer.waitFor('user: ', mark);
      outer.type('ada\r');
      await outer.waitFor('password: ', mark);
      outer.type('correct-horse\r');
      await outer.waitFor('the password had 13 characters, none shown', mark);
      const screen = outer.screen.slice(mark);
      expect(screen).toContain('ada'); // the user name is echoed…
      expect(screen).not.toContain('correct-horse'); // …the password is not, not even once
      expect(screen).not.toMatch(/\*{3}/);
      outer.type('exit\r');
      await expectRestored(outer, 0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'size: the plugin sees the window size, and a resize of the window',
    async () => {
      const outer = tether(['run', sample], { cols: 91, rows: 31 });
      await startRepl(outer);
      await command(outer, 'size', 'size 91x31');
      const mark = outer.mark();
      outer.resize(120, 40);
      await outer.waitFor('resized to 120x40', mark); // SIGWINCH reached the plugin
      await command(outer, 'size', 'size 120x40');
      outer.type('exit\r');
      await expectRestored(outer, 0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Ctrl-C interrupts a foreground job; the REPL and the CLI carry on',
    async () => {
      const outer = tether(['run', sample]);
      await startRepl(outer);
      const mark = outer.mark();
      outer.type('sleep 60\r');
      await outer.waitFor('sleeping 60 s', mark);
      outer.type('\x03');
      await outer.waitFor('sleep interrupted; the REPL carries on', mark);
      await outer.waitFor(PROMPT, mark);
      await command(outer, 'size', /size \d+x\d+/);
      // Ctrl-C at the prompt is a key for the REPL, not a signal for the CLI: both are still there.
      const atPrompt = outer.mark();
      outer.type('\x03');
      await outer.waitFor(`^C\r`, atPrompt);
      await command(outer, 'size', /size \d+x\d+/);
      outer.type('exit\r');
      await expectRestored(outer, 0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shell: an interactive shell runs typed commands in the same terminal, then the REPL is back',
    async () => {
      const outer = tether(['run', sample]);
      await startRepl(outer);
      const mark = outer.mark();
      outer.type('shell\r');
      await outer.waitFor('shell$ ', mark);
      outer.type('echo "six times seven is $((6*7))"; test -t 0 && echo stdin-is-a-tty\r');
      await outer.waitFor('six times seven is 42', mark);
      await outer.waitFor('stdin-is-a-tty', mark);
      outer.type('exit\r');
      await outer.waitFor('back in the REPL (the shell exited with code 0)', mark);
      await outer.waitFor(PROMPT, outer.screen.indexOf('back in the REPL', mark));
      await command(outer, 'size', /size \d+x\d+/);
      outer.type('exit\r');
      await expectRestored(outer, 0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "the plugin gets the user's terminal type (TERM, COLORTERM), not the xterm the runner assumes",
    async () => {
      const outer = tether(['run', sample]);
      await startRepl(outer);
      // The outer terminal has TERM=xterm-256color and (from the test's environment) maybe COLORTERM.
      const expected = `TERM=xterm-256color, COLORTERM=${process.env['COLORTERM'] ?? ''})`;
      await command(outer, 'color', expected);
      outer.type('exit\r');
      await expectRestored(outer, 0);

      const plain = new OuterTerminal(
        process.execPath,
        ['--conditions=tether-source', '--import', TSX_LOADER, cliInTerminal, 'run', sample],
        { env: { TETHER_LOG_DIR: logDir, TERM: 'linux', COLORTERM: undefined } },
      );
      terminals.push(plain);
      await startRepl(plain);
      // No truecolor claimed for a terminal that does not say it has it.
      await command(plain, 'color', 'colour depth 4 bits (TERM=linux, COLORTERM=)');
      plain.type('exit\r');
      await expectRestored(plain, 0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '--call with stdout redirected: stdout holds the result alone, the screen goes to stderr',
    async () => {
      const resultFile = join(logDir, 'call-result.json');
      const outer = new OuterTerminal(
        '/bin/sh',
        [
          '-c',
          'node "$0" run "$1" --json --call session.info > "$2"; echo "EXIT=$?"',
          bin,
          sample,
          resultFile,
        ],
        { cols: 81, rows: 23, env: { TETHER_LOG_DIR: logDir } },
      );
      terminals.push(outer);
      await outer.waitFor(/EXIT=\d+/);
      expect(outer.screen).toContain('EXIT=0');
      // The REPL's banner and prompt were on the user's terminal, at its size.
      expect(outer.screen).toMatch(/REPL that needs a real terminal \(pid \d+, 81x23\)/);
      const result = await readFile(resultFile, 'utf8');
      expect(result).toMatch(/^\{.*\}\n$/);
      expect(JSON.parse(result)).toMatchObject({ isTTY: true, columns: 81, rows: 23, commands: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '--call works while the terminal is passed through: RPC and terminal bytes do not mix',
    async () => {
      const outer = tether(['run', sample, '--json', '--call', 'session.info'], { cols: 77, rows: 22 });
      const json = await outer.waitFor(/\{"isTTY".*?\}/);
      expect(JSON.parse(json)).toEqual({
        isTTY: true,
        columns: 77,
        rows: 22,
        rawMode: true,
        lastCommand: null,
        commands: 0,
      });
      await expectRestored(outer, 0);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('tether run <terminal extension> restores the terminal on every way out', () => {
  it(
    'crash: the CLI exits 1, says so, and the terminal is as before',
    async () => {
      const outer = tether(['run', sample]);
      await startRepl(outer);
      const mark = outer.mark();
      outer.type('crash\r');
      await outer.waitFor('crash: the REPL was told to crash', mark);
      await outer.waitFor('tether: @tether-samples/05-tty exited with code 1.', mark);
      await expectRestored(outer, 1);
    },
    TEST_TIMEOUT_MS,
  );

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s to the CLI: the plugin is stopped, exit %i, the terminal is as before',
    async (signal, code) => {
      const outer = tether(['run', sample]);
      const pluginPid = await startRepl(outer);
      const cliPid = Number(/CLI PID (\d+)/.exec(outer.screen)![1]);
      process.kill(cliPid, signal);
      await expectRestored(outer, code);
      expect(isRunning(pluginPid)).toBe(false);
      // After SIGTERM the CLI says what it does; after SIGHUP nobody is left to read it.
      expect(outer.screen.includes('tether: SIGTERM: stopping @tether-samples/05-tty.')).toBe(
        signal === 'SIGTERM',
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a failed --call: the error is reported once the terminal is restored, exit 1',
    async () => {
      const outer = tether(['run', sample, '--call', 'session.nope']);
      await outer.waitFor(/tether: .*nope/);
      await expectRestored(outer, 1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the plugin SIGKILLed: exit 137 (128 + 9), the terminal is as before',
    async () => {
      const outer = tether(['run', sample]);
      const pluginPid = await startRepl(outer);
      process.kill(pluginPid, 'SIGKILL');
      await outer.waitFor('tether: @tether-samples/05-tty was killed by SIGKILL.');
      await expectRestored(outer, 137);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Enter ~. stops the plugin, even while a job has the terminal',
    async () => {
      const outer = tether(['run', sample]);
      const pluginPid = await startRepl(outer);
      const mark = outer.mark();
      outer.type('sleep 60\r');
      await outer.waitFor('sleeping 60 s', mark);
      outer.type('\r~.');
      await outer.waitFor('tether: stopping @tether-samples/05-tty (Enter ~.).', mark);
      const end = await ending(outer);
      expect(end.after).toBe(end.before);
      expect(end.raw).toBe('false');
      expect(isRunning(pluginPid)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  // Through the real bin, as a shell sees it. (The settings would match even without the CLI's restore, since
  // Node resets the terminal when it exits; the in-process tests above are the ones that catch a missing
  // restore. This one checks that the exit status gets through bin/tether.js.)
  it(
    'the real bin: exit status and settings seen by a shell, after exit and after a crash',
    async () => {
      for (const [input, code] of [
        ['exit\r', 0],
        ['crash\r', 1],
      ] as const) {
        const outer = new OuterTerminal(
          '/bin/sh',
          ['-c', 'stty -g; node "$0" run "$1"; echo "EXIT=$?"; stty -g', bin, sample],
          { env: { TETHER_LOG_DIR: logDir } },
        );
        terminals.push(outer);
        await startRepl(outer);
        outer.type(input);
        await outer.waitFor(/EXIT=\d+\r\n\S+\r\n/);
        const [, before, exit, after] = /^(\S+)\r\n[^]*EXIT=(\d+)\r\n(\S+)\r\n/.exec(outer.screen)!;
        expect({ exit: Number(exit), after }).toEqual({ exit: code, after: before });
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'piped stdin (not a TTY): no raw mode, bytes pass through, the end of input is Ctrl-D',
    async () => {
      const outer = new OuterTerminal(
        '/bin/sh',
        ['-c', 'stty -g; printf "size\\nsize\\n" | node "$0" run "$1"; echo "EXIT=$?"; stty -g', bin, sample],
        { cols: 85, rows: 25, env: { TETHER_LOG_DIR: logDir } },
      );
      terminals.push(outer);
      // Both lines reach the REPL; then the pipe's end arrives as Ctrl-D on an empty line, which ends it.
      await outer.waitFor(/size 85x25[^]*size 85x25/);
      await outer.waitFor(/EXIT=\d+\r\n\S+\r\n/);
      const [, before, exit, after] = /^(\S+)\r\n[^]*EXIT=(\d+)\r\n(\S+)\r\n/.exec(outer.screen)!;
      expect({ exit: Number(exit), after }).toEqual({ exit: 0, after: before });
      // No "Enter ~." hint: that escape (and raw mode) is only for a keyboard.
      expect(outer.screen).not.toContain('Enter ~.');
    },
    TEST_TIMEOUT_MS,
  );
});
