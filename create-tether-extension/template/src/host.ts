// A host: starts the plugin as its own process, calls it through a typed Remote<Counter>, prints what it
// gets, and stops it. An app does the same for many plugins with ExtensionHostManager (@tether/extension-host).
import { fileURLToPath } from 'node:url';
import { RemoteError } from '@tether/sdk';
import { PluginClient } from '@tether/extension-host';
import { counter, handshake } from './contract.js';

// The compiled plugin beside this compiled file (dist/plugin.js); fileURLToPath works in any folder name.
const entry = fileURLToPath(new URL('./plugin.js', import.meta.url));
const plugin = await PluginClient.start({ handshake, spec: { name: '{{PROJECT_NAME}}', entry } });
try {
  const remote = plugin.dispense(counter); // Remote<Counter>: every method returns a promise

  // Events come on their own, not in step with the results of the calls that fire them: gather them
  // until the count reaches 5.
  const counts: number[] = [];
  const reachedFive = new Promise<void>((resolve) => {
    const subscription = remote.onDidChange(({ count }) => {
      counts.push(count);
      if (count < 5) return;
      subscription.dispose();
      resolve();
    });
  });

  console.log(`increment(2) → ${await remote.increment(2)}`);
  // A stream: each count arrives as the plugin makes it.
  for await (const count of await remote.countTo(5)) console.log(`countTo(5) → ${count}`);
  console.log(`current() → ${await remote.current()}`);
  await reachedFive;
  console.log(`onDidChange → ${counts.join(', ')}`);

  // An error thrown in the plugin arrives with its name, code and message.
  await remote.increment(0.5).catch((error: unknown) => {
    if (!(error instanceof RemoteError)) throw error;
    console.log(`increment(0.5) → ${error.name} [${error.code}]: ${error.message}`);
  });
} finally {
  await plugin.stop();
}
