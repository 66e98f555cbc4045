// Test-only: `tether` in-process, for running inside an outer terminal. Prints the terminal's settings
// (`stty -g`) and its own pid, runs `main` with this process's stdio, then prints the settings again, whether
// stdin is still in raw mode, and the exit status — all from this same process, before Node's own reset of
// the terminal at exit could hide a missing restore. Ends by itself (nothing may keep it alive) with the
// status `main` returned.
import { execFileSync } from 'node:child_process';
import { main } from '../main.js';

const stty = (): string =>
  execFileSync('stty', ['-g'], { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8' }).trim();

process.stdout.write(`BEFORE ${stty()}\nCLI PID ${process.pid}\n`);
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
process.stdout.write(`\nAFTER ${stty()} raw=${String(process.stdin.isRaw)} code=${code}\n`);
process.exitCode = code;
