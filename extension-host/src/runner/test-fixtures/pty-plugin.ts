// Test-only: a Tether plugin (serve()) made to run in the pty runner's terminal. It reports what it sees of
// its terminal over RPC, which runs on the side channel while the terminal carries bytes. If its first
// argument is `greet`, it prints a greeting before serving.
import { spawn, type ChildProcess } from 'node:child_process';
import { implement, log, serve } from '@tether/sdk';
import { ptyFixture, ptyFixtureHandshake, type ChildExit } from './pty-contract.js';

if (process.argv[2] === 'greet') process.stdout.write('\x1b[32mhello from the pty plugin\x1b[0m\n');

let sigwinch = 0;
// Prepended: the SDK's imports already created process.stdout, whose own SIGWINCH listener emits 'resize'.
process.prependListener('SIGWINCH', () => sigwinch++);
let foreground: ChildProcess | undefined;

function writeAll(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

await serve({
  handshake: ptyFixtureHandshake,
  services: [
    implement(ptyFixture, {
      add: (a, b) => a + b,
      ttyInfo: () => ({
        stdinIsTTY: process.stdin.isTTY === true,
        stdoutIsTTY: process.stdout.isTTY === true,
        stderrIsTTY: process.stderr.isTTY === true,
        cols: process.stdout.columns,
        rows: process.stdout.rows,
        term: process.env['TERM'],
        colorterm: process.env['COLORTERM'],
        // A pipe is no tty.WriteStream: one colour (what Node would say for a non-terminal).
        colorDepth: process.stdout.isTTY ? process.stdout.getColorDepth() : 1,
      }),
      waitForSize: (cols, rows) =>
        new Promise((resolve) => {
          const check = (): boolean => {
            if (process.stdout.columns !== cols || process.stdout.rows !== rows) return false;
            process.stdout.off('resize', check);
            resolve({ cols, rows, sigwinch });
            return true;
          };
          if (!check()) process.stdout.on('resize', check);
        }),
      readKeyRaw: (marker) =>
        new Promise((resolve) => {
          process.stdin.setRawMode(true);
          process.stdin.once('data', (data: Buffer) => {
            process.stdin.setRawMode(false);
            process.stdin.pause();
            resolve(data.toString('utf8'));
          });
          process.stdout.write(marker);
        }),
      readRaw: (count, marker) =>
        new Promise((resolve) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const onData = (data: Buffer): void => {
            chunks.push(data);
            size += data.length;
            if (size < count) return;
            process.stdin.off('data', onData);
            process.stdin.setRawMode(false);
            process.stdin.pause();
            resolve(Buffer.concat(chunks).toString('utf8'));
          };
          process.stdin.setRawMode(true);
          process.stdin.on('data', onData);
          process.stdout.write(marker);
        }),
      runForeground: (command, args, marker) =>
        new Promise<ChildExit>((resolve, reject) => {
          // Like a shell running a job: Ctrl-C is for the job, not for us, while it runs.
          const ignoreInterrupt = (): void => {};
          process.on('SIGINT', ignoreInterrupt);
          const child = spawn(command, args, { stdio: 'inherit' });
          foreground = child;
          child.once('spawn', () => process.stdout.write(marker));
          child.once('error', reject);
          child.once('exit', (code, signal) => {
            foreground = undefined;
            process.off('SIGINT', ignoreInterrupt);
            resolve({ code, signal });
          });
        }),
      foregroundPid: () => foreground?.pid,
      print: (text) => void process.stdout.write(text),
      async flood(lines, width) {
        for (let i = 0; i < lines; i++) {
          await writeAll(`${String(i).padStart(7, '0')} ${'#'.repeat(width)}\n`);
        }
        return lines;
      },
      consoleLog: (text) => console.log(text),
      logInfo: (text) => log.info(text),
      crash(lastWords, code) {
        process.stderr.write(`${lastWords}\n`);
        setImmediate(() => process.exit(code));
      },
    }),
  ],
});
