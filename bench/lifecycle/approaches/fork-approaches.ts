// The approaches whose child is forked with an IPC channel: the raw fork-IPC floor and the peers
// vscode-jsonrpc, birpc and comlink. Each forks its bundled child with plain `node` (no loader), makes its
// first call at once (the channel holds it until the child listens), and stops with SIGTERM → exit.
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createBirpc } from 'birpc';
import * as Comlink from 'comlink';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { ChildBundles, ChildName } from '../bundle-children.js';
import { childEnv, terminate, untilAnswered } from '../child-process-util.js';
import type { Calc } from '../children/contract.js';
import { forkEndpoint } from '../children/fork-endpoint.js';
import type { LifecycleApproach } from '../lifecycle-approach.js';

/** The host's side of one forked child: its first call, and what to release before the child is stopped. */
interface ForkClient {
  call(): Promise<unknown>;
  close(): void;
}

function forkApproach(
  base: Pick<LifecycleApproach, 'id' | 'label' | 'kind'>,
  file: ChildName,
  serialization: 'json' | 'advanced',
  connect: (child: ChildProcess) => ForkClient,
): LifecycleApproach {
  return {
    ...base,
    stopHow: 'SIGTERM → exit',
    async start(bundles: ChildBundles) {
      const began = performance.now();
      const child = fork(bundles.files[file], [], {
        execArgv: [], // not the bench's own flags (tsx): the child starts as a bare `node`
        serialization,
        env: childEnv(),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const spawnedMs = performance.now() - began;
      const client = connect(child);
      const answer = await untilAnswered(child, base.id, client.call());
      const startMs = performance.now() - began;
      if (answer !== 3 && !(Array.isArray(answer) && answer[0] === 1)) {
        await terminate(child);
        throw new Error(`${base.id}: unexpected first answer ${JSON.stringify(answer)}`);
      }
      return {
        pid: child.pid!,
        startMs,
        phases: { spawned: spawnedMs, firstCall: startMs },
        async stop() {
          client.close();
          await terminate(child);
        },
      };
    },
  };
}

export const rawIpc = forkApproach(
  { id: 'raw-ipc', label: "raw fork IPC, 'advanced', one message round trip (floor)", kind: 'floor' },
  'raw-ipc-child',
  'advanced',
  (child) => ({
    call: () =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send([1, 2]);
      }),
    close: () => {},
  }),
);

export const vscodeJsonrpc = forkApproach(
  { id: 'vscode-jsonrpc', label: 'vscode-jsonrpc 10, fork IPC', kind: 'peer' },
  'vscode-jsonrpc-child',
  'json',
  (child) => {
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    return { call: () => connection.sendRequest<number>('add', 1, 2), close: () => connection.dispose() };
  },
);

export const birpc = forkApproach(
  { id: 'birpc', label: "birpc 4.2, fork IPC 'advanced'", kind: 'peer' },
  'birpc-child',
  'advanced',
  (child) => {
    const rpc = createBirpc<Calc, object>(
      {},
      { post: (data) => child.send(data as never), on: (handler) => child.on('message', handler) },
    );
    return { call: () => rpc.add(1, 2), close: () => rpc.$close() };
  },
);

export const comlinkFork = forkApproach(
  { id: 'comlink-fork', label: "comlink 4.4.2, fork IPC 'advanced' (port adapter)", kind: 'peer' },
  'comlink-child',
  'advanced',
  (child) => {
    const api = Comlink.wrap<Calc>(forkEndpoint(child));
    // Released before the child goes, so comlink's finalizer does not try to later.
    return { call: () => api.add(1, 2), close: () => api[Comlink.releaseProxy]() };
  },
);
