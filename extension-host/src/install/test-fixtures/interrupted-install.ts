// Child of the crash-safety test (install-crash-safety.process.test.ts): a manager over the data folder given
// installs the package given and stops at the point named — an InstallStep (its onStep never resolves), or
// `handshake`: the new version's process has connected and its handshake is under way (the runner hands the
// connection on never). It prints the point's name (for `handshake`, then the plugin's pid) on a line of its
// own and waits to be SIGKILLed.
//
//   node interrupted-install.mjs <dataFolder> <package.tgz> <step | handshake> [force]
import { ExtensionHostManager } from '../../manager/extension-host-manager.js';
import { managerHandshake } from '../../manager/test-fixtures/manager-contract.js';
import { NodeRunner } from '../../runner/node-runner.js';
import type { LaunchedPlugin, Runner } from '../../runner/runner.js';

const [dataFolder, source, stopAt, force] = process.argv.slice(2);
if (dataFolder === undefined || source === undefined || stopAt === undefined) {
  throw new Error('usage: interrupted-install <dataFolder> <package.tgz> <step | handshake>');
}

// A pending promise alone does not keep a process alive: this timer does, until the kill.
setInterval(() => undefined, 60_000);

function stopHere(line: string): Promise<never> {
  process.stdout.write(`${line}\n`);
  return new Promise<never>(() => undefined);
}

/** A node runner whose plugins connect, but whose connection is never handed to the plugin client. */
function stallingRunner(): Runner {
  const inner = new NodeRunner();
  return {
    kind: 'node',
    launch: async (spec, handshakeEnv) => {
      const launched = await inner.launch(spec, handshakeEnv);
      const connection = async (): Promise<never> => {
        await launched.connection();
        return stopHere(`handshake ${launched.pid}`);
      };
      // Everything else is the real launched plugin's (bound to it: it keeps private state).
      return new Proxy(launched, {
        get(target, key) {
          if (key === 'connection') return connection;
          const value: unknown = Reflect.get(target, key, target);
          return typeof value === 'function'
            ? (value as (...args: unknown[]) => unknown).bind(target)
            : value;
        },
      }) satisfies LaunchedPlugin;
    },
  };
}

const manager = await ExtensionHostManager.create({
  app: { name: 'tether-test', handshake: managerHandshake },
  dataFolder,
  extensionFolders: [],
  logSink: false,
  watch: false,
  ...(stopAt === 'handshake' ? { runnerFor: () => stallingRunner() } : {}),
});
await manager.install(source, {
  force: force === 'force',
  onStep: (step) => (step === stopAt ? stopHere(step) : undefined),
});
process.stdout.write('installed without stopping\n');
process.exit(0);
