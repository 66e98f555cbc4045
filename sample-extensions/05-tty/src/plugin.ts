// The plugin: an interactive REPL in its terminal, plus a `session` service the host calls over RPC.
// It runs only in a real terminal — "runner": "pty" in its manifest gives it one.
import { implement, serve } from '@tether/sdk';
import { handshake, session } from './contract.js';
import { Repl } from './repl.js';
import { requireTty } from './require-tty.js';

requireTty();

const repl = new Repl(process.stdin, process.stdout);
let leaving = false;
const served = await serve({
  handshake,
  services: [implement(session, { info: () => repl.info() })],
  onStop: () => {
    if (!leaving) process.stdout.write('\r\n05-tty: stopped by the host\r\n');
  },
});
await repl.run();
leaving = true;
process.stdout.write('bye\r\n');
// Ends the plugin as a STOP from the host would: the connection closes cleanly, the process exits 0.
await served.stop();
