// Test-only: a host that passes its own terminal through to key-echo.ts running in a pseudo-terminal, the
// way `tether run` does for a plugin. Run inside an outer terminal; prints the terminal's settings
// (`stty -g`) before, and after the passthrough ended, plus whether stdin is still in raw mode — from this
// same process, before Node's own reset of the terminal at exit could hide a missing restore.
import { execFileSync } from 'node:child_process';
import { TerminalPassthrough } from '../terminal-passthrough.js';
import { KEY_ECHO_ARGS } from './key-echo.js';
import { NodePtyTerminal } from './node-pty-terminal.js';

const stty = (): string =>
  execFileSync('stty', ['-g'], { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8' }).trim();

process.stdout.write(`BEFORE ${stty()}\n`);
const terminal = new NodePtyTerminal(process.execPath, [...KEY_ECHO_ARGS], { cols: 40, rows: 10 });
const passthrough = new TerminalPassthrough(terminal, { stdin: process.stdin, stdout: process.stdout });
passthrough.onDidDetach(() => {
  process.stdout.write('DETACHED\r\n');
  terminal.dispose();
});
terminal.onDidExit((status) => {
  process.stdout.write(
    `\nEXITED ${JSON.stringify(status)}\nAFTER ${stty()} raw=${String(process.stdin.isRaw)}\n`,
  );
});
