// The fixture plugin of the `tether run` stop tests; how it misbehaves when asked to stop is chosen by the
// first argument (go-plugin's helperProcess; see stop-fixture-extension.ts, which writes an extension folder for each):
//   well-behaved      onStop returns; exits 0
//   exit-3-on-stop    onStop exits with code 3
//   block-on-stop     onStop blocks the event loop for good: the host's SIGTERM kills it
//   ignore-sigterm    the same, and SIGTERM is ignored: only the host's SIGKILL ends it
// Its one service, `stopFixture`, has `echo(text)` and `crash(code)` (writes two stderr lines, then exits
// with `code` before replying).
import { defineService, implement, serve } from '@tether/sdk';
import { stopFixtureHandshake, stopModes, type StopMode } from './stop-fixture-extension.js';

interface StopFixture {
  echo(text: string): string;
  crash(code: number): void;
}

const stopFixture = defineService<StopFixture>()('stopFixture', { methods: { echo: {}, crash: {} } });

const mode = process.argv[2] ?? 'well-behaved';
if (!(stopModes as readonly string[]).includes(mode)) {
  process.stderr.write(`stop-misbehaving-plugin: unknown mode ${JSON.stringify(mode)}\n`);
  process.exit(2);
}
if (mode === 'ignore-sigterm') process.on('SIGTERM', () => undefined);

function blockForGood(): never {
  for (;;) {
    // Nothing runs again in this process: no timer, no signal handler, no SDK deadline.
  }
}

await serve({
  handshake: stopFixtureHandshake,
  services: [
    implement(stopFixture, {
      echo: (text) => text,
      crash(code) {
        process.stderr.write('fixture: about to crash\n');
        process.stderr.write(`fixture: exiting with code ${code}\n`);
        process.exit(code); // before the reply: the call is pending when the connection closes
      },
    }),
  ],
  onStop() {
    switch (mode as StopMode) {
      case 'well-behaved':
        return;
      case 'exit-3-on-stop':
        process.exit(3);
        break;
      case 'block-on-stop':
      case 'ignore-sigterm':
        blockForGood();
    }
  },
});
