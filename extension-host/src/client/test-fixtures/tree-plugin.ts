// The process-tree fixture plugin: starts a child in its group, a setsid()'d escapee, or hangs (tree-contract.ts).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { implement, serve } from '@tether/sdk';
import { fixtureHandshake } from './contract.js';
import { tree } from './tree-contract.js';

/** A long sleep that ignores SIGTERM (only SIGKILL ends it), bounded in case a test leaks it. */
const STUBBORN_SLEEP = ['-c', 'trap "" TERM; exec sleep 120'];

await serve({
  handshake: fixtureHandshake,
  services: [
    implement(tree, {
      child() {
        return spawn('/bin/sh', STUBBORN_SLEEP, { stdio: 'ignore' }).pid ?? -1;
      },
      escapee() {
        // detached: the child calls setsid() before exec, leaving the plugin's process group and session.
        const child = spawn('/bin/sh', STUBBORN_SLEEP, { stdio: 'ignore', detached: true });
        child.unref();
        return child.pid ?? -1;
      },
      hang(marker) {
        // After the answer is written: the file says the loop has begun.
        setTimeout(() => {
          writeFileSync(marker, '');
          for (;;) {
            // stuck: no timer, no I/O, no host watch runs again
          }
        }, 20);
      },
    }),
  ],
});
