// Test-only: the service of the pty fixture plugin, shared by the tests and the plugin.
import { defineService } from '@tether/sdk';

/** What the plugin sees of its terminal. */
export interface TtyInfo {
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly cols: number;
  readonly rows: number;
  readonly term: string | undefined;
  readonly colorterm: string | undefined;
  /** `process.stdout.getColorDepth()`: 8 for 256 colours, 24 for true colour (1 when not a terminal). */
  readonly colorDepth: number;
}

/** How a child program ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface PtyFixture {
  add(a: number, b: number): number;
  ttyInfo(): TtyInfo;
  /** Resolves when the terminal is `cols`×`rows` (at once, or after the SIGWINCHes that make it so). */
  waitForSize(cols: number, rows: number): Promise<{ cols: number; rows: number; sigwinch: number }>;
  /** Raw mode on, prints `marker`, resolves with the first input that arrives (no Enter needed), raw mode off. */
  readKeyRaw(marker: string): Promise<string>;
  /** Raw mode on, prints `marker`, resolves with the first `count` bytes of input as text, raw mode off. */
  readRaw(count: number, marker: string): Promise<string>;
  /** Runs a program in the foreground of the terminal (stdio inherited), like a shell; prints `marker` once it runs. */
  runForeground(command: string, args: string[], marker: string): Promise<ChildExit>;
  /** Pid of the program runForeground runs now (undefined when none). */
  foregroundPid(): number | undefined;
  /** Writes `text` to stdout. */
  print(text: string): void;
  /** Writes `lines` numbered lines of `width` characters to stdout, as fast as the terminal takes them. */
  flood(lines: number, width: number): Promise<number>;
  /** `console.log(text)`: under a pty the console is the user's, not the host's log. */
  consoleLog(text: string): void;
  /** A record through the SDK logger: it goes to the host either way. */
  logInfo(text: string): void;
  /** Prints `lastWords` to stderr, then exits with `code`. */
  crash(lastWords: string, code: number): void;
}

export const ptyFixture = defineService<PtyFixture>()('fixture.pty', {
  methods: {
    add: {},
    ttyInfo: {},
    waitForSize: {},
    readKeyRaw: {},
    readRaw: {},
    runForeground: {},
    foregroundPid: {},
    print: {},
    flood: {},
    consoleLog: {},
    logInfo: {},
    crash: {},
  },
});

export const ptyFixtureHandshake = {
  cookieKey: 'TETHER_PTY_FIXTURE_COOKIE',
  cookieValue: 'pty-fixture-51c2',
};
