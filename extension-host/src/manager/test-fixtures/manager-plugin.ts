// The fixture extension of the manager tests: serves `probe` and two commands. Its behaviour comes from the
// `fixture` field of the package.json in its folder (its working directory): see FixtureMode.
import { readFileSync } from 'node:fs';
import { Emitter, TetherError, implement, log, serve } from '@tether/sdk';
import { managerHandshake, probe, storage, type FixtureMode } from './manager-contract.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { fixture?: FixtureMode };
const mode = pkg.fixture ?? 'ok';
log.info('starting', { mode });
if (mode === 'crash-on-start') {
  process.stderr.write('fixture: crashing on start as asked\n');
  process.exit(3);
}

const ticks = new Emitter<number>();
const serving = serve({
  handshake: managerHandshake,
  services: [
    implement(probe, {
      echo: (value) => value,
      sleep: (ms) => new Promise((resolve) => setTimeout(() => resolve(`slept ${ms}`), ms)),
      block: (ms) => {
        const end = Date.now() + ms;
        while (Date.now() < end) {
          // Busy: the event loop is blocked, as by a runaway loop.
        }
        return `blocked ${ms}`;
      },
      crash: (code) => process.exit(code),
      pid: () => process.pid,
      useStorage: async (key) => {
        try {
          return await (await serving).host(storage).get(key);
        } catch (error) {
          return String((error as { code?: unknown }).code ?? error);
        }
      },
      tick: (n) => ticks.fire(n),
      count: (to, everyMs) =>
        Promise.resolve(
          (async function* () {
            for (let n = 1; n <= to; n++) {
              await new Promise((resolve) => setTimeout(resolve, everyMs));
              yield n;
            }
          })(),
        ),
      onDidTick: ticks.event,
    }),
  ],
  commands: {
    'probe.add': (a: number, b: number) => a + b,
    'probe.fail': () => {
      throw new TetherError('INVALID_ARGUMENT', 'probe.fail always fails');
    },
  },
});
await serving;
// A structured record over the connection (the one before serve() went to stderr as a line).
log.info('ready', { pid: process.pid });
