// The per-call context (issue 15): a handler learns that its caller gave up through `currentCall().signal`,
// without an AbortSignal parameter in its contract, in both directions. In one process (loopback); the same
// across a real process boundary is in rpc-process.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { deferred } from '../common/deferred.js';
import { isTetherError } from '../errors/tether-error.js';
import { waitFor } from '../test-support/wait-for.js';
import { IncomingCall, currentCall, runInCall, type CallContext } from './call-context.js';
import { createLoopbackPeers } from './loopback-peers.js';
import { abortRecordingCallback } from './test-fixtures/abort-recorder.js';
import { proxy, type ProxyMarked } from './proxy-marker.js';
import { withCallOptions } from './remote-factory.js';
import { defineService } from './service.js';

interface Jobs {
  /** Runs until the caller gives up; then answers 'stopped'. */
  run(label: string): Promise<string>;
  /** The context the handler saw. */
  describe(): Promise<{ callId: number; service: string | undefined; method: string }>;
  /** Whether `currentCall().signal` is the AbortSignal argument. */
  sameSignal(signal: AbortSignal): Promise<boolean>;
  /** Reads currentCall() after an await. */
  readLate(): Promise<string>;
  /** Calls `callback` with withCallOptions({ signal }), aborts it at once; answers the code it failed with. */
  abortCallback(callback: () => Promise<string>): Promise<string>;
  /** Calls the host's `waiter` service with withCallOptions({ signal }), aborts it once it runs. */
  abortHostCall(): Promise<string>;
  notify(): void;
  /** A proxied object whose method reports its context. */
  tool(): Promise<ProxyMarked<{ where(): string }>>;
}

const jobs = defineService<Jobs>()('jobs', {
  methods: {
    run: {},
    describe: {},
    sameSignal: {},
    readLate: {},
    abortCallback: {},
    abortHostCall: {},
    notify: { notification: true },
    tool: {},
  },
});

interface Waiter {
  wait(): Promise<string>;
}
const waiter = defineService<Waiter>()('waiter', { methods: { wait: {} } });

let pair: ReturnType<typeof createLoopbackPeers> | undefined;
afterEach(() => {
  pair?.dispose();
  pair = undefined;
});

/** Host and plugin peers, the plugin serving `jobs`; `seen` collects what the handlers saw. */
function connect(options?: Parameters<typeof createLoopbackPeers>[0]) {
  pair = createLoopbackPeers(options);
  const { host, plugin } = pair;
  const started = deferred<void>();
  const reasons: unknown[] = [];
  const notified: CallContext[] = [];
  const hostWaiting = deferred<void>();
  const hostReasons: unknown[] = [];
  plugin.expose(jobs, {
    run() {
      const { signal } = currentCall();
      started.resolve();
      return new Promise((resolve) => {
        signal.addEventListener('abort', () => {
          reasons.push(signal.reason);
          resolve('stopped');
        });
      });
    },
    describe() {
      const { callId, service, method } = currentCall();
      return Promise.resolve({ callId, service, method });
    },
    sameSignal: (signal) => Promise.resolve(currentCall().signal === signal),
    async readLate() {
      await Promise.resolve();
      return currentCall().method;
    },
    async abortCallback(callback) {
      const controller = new AbortController();
      const call = withCallOptions(callback, { signal: controller.signal })();
      controller.abort();
      return call.then(
        () => 'answered',
        (error: unknown) => (isTetherError(error) ? error.code : 'not a TetherError'),
      );
    },
    async abortHostCall() {
      const controller = new AbortController();
      const call = withCallOptions(plugin.remote(waiter), { signal: controller.signal }).wait();
      await hostWaiting.promise;
      controller.abort();
      return call.then(
        () => 'answered',
        (error: unknown) => (isTetherError(error) ? error.code : 'not a TetherError'),
      );
    },
    notify() {
      notified.push(currentCall());
    },
    tool: () =>
      Promise.resolve(
        proxy({
          where() {
            const { service, method } = currentCall();
            return `${String(service)}.${method}`;
          },
        }),
      ),
  });
  host.expose(waiter, {
    wait() {
      const { signal } = currentCall();
      hostWaiting.resolve();
      return new Promise((resolve) => {
        signal.addEventListener('abort', () => {
          hostReasons.push(signal.reason);
          resolve('stopped');
        });
      });
    },
  });
  return { host, plugin, remote: host.remote(jobs), started, reasons, notified, hostReasons };
}

describe('currentCall(): the context of the call a handler answers', () => {
  it('host → plugin: withCallOptions({ signal }) aborting aborts the handler’s signal (no AbortSignal parameter)', async () => {
    const { host, plugin, remote, started, reasons } = connect();
    const controller = new AbortController();
    const call = withCallOptions(remote, { signal: controller.signal }).run('a');
    await started.promise;
    controller.abort(new Error('the user closed the dialog'));
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    await waitFor(() => reasons.length === 1, { what: 'the handler to see the abort', intervalMs: 0 });
    expect(reasons[0]).toMatchObject({
      name: 'TetherError',
      code: 'ABORTED',
      message: expect.stringContaining('stop the work'),
    });
    // The handler's late answer is dropped; nothing is left on either side.
    await waitFor(() => plugin.stats().runningHandlers === 0, { what: 'the handler to end', intervalMs: 0 });
    expect(host.stats().pendingCalls).toBe(0);
  });

  it('a timeout aborts the handler’s signal too', async () => {
    const { remote, reasons } = connect();
    await expect(withCallOptions(remote, { timeout: 20 }).run('b')).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    await waitFor(() => reasons.length === 1, { what: 'the handler to see the timeout', intervalMs: 0 });
    expect(reasons[0]).toMatchObject({ code: 'ABORTED' });
  });

  it('the connection closing aborts the handler’s signal with CONNECTION_CLOSED', async () => {
    const { plugin, remote, started, reasons } = connect();
    const call = remote.run('c');
    await started.promise;
    plugin.dispose();
    await expect(call).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(reasons).toEqual([expect.objectContaining({ code: 'CONNECTION_CLOSED' })]);
  });

  it('plugin → host: a host callback the plugin aborts sees its signal abort', async () => {
    const { remote } = connect();
    const { callback, seen } = abortRecordingCallback();
    expect(await remote.abortCallback(callback)).toBe('ABORTED');
    await waitFor(() => seen[0]?.reason, { what: 'the host callback to see the abort', intervalMs: 0 });
    expect(seen).toEqual([
      { service: undefined, method: '', reason: expect.objectContaining({ code: 'ABORTED' }) },
    ]);
  });

  it('plugin → host: a host service call the plugin aborts sees its signal abort', async () => {
    const { host, remote, hostReasons } = connect();
    expect(await remote.abortHostCall()).toBe('ABORTED');
    await waitFor(() => hostReasons.length === 1, {
      what: 'the host service to see the abort',
      intervalMs: 0,
    });
    expect(hostReasons[0]).toMatchObject({ code: 'ABORTED' });
    await waitFor(() => host.stats().runningHandlers === 0, {
      what: 'the host handler to end',
      intervalMs: 0,
    });
  });

  it('says which call it is: id, service and method; a reference call has no service', async () => {
    const { remote } = connect();
    const first = await remote.describe();
    const second = await remote.describe();
    expect(first).toMatchObject({ service: 'jobs', method: 'describe' });
    expect(first.callId).toBeGreaterThan(0);
    expect(second.callId).not.toBe(first.callId);
    const tool = await remote.tool();
    expect(await tool.where()).toBe('undefined.where');
  });

  it('a notification has call id 0', async () => {
    const { remote, notified } = connect();
    await remote.notify();
    await waitFor(() => notified.length === 1, { what: 'the notification to arrive', intervalMs: 0 });
    expect(notified[0]).toMatchObject({ callId: 0, service: 'jobs', method: 'notify' });
    expect(notified[0]?.signal.aborted).toBe(false);
  });

  it('is the AbortSignal argument when the method takes one', async () => {
    const { remote } = connect();
    expect(await remote.sameSignal(new AbortController().signal)).toBe(true);
  });

  it('throws NO_CALL_CONTEXT outside a handler and after the handler’s first await, saying what to do', async () => {
    const { remote } = connect();
    expect(() => currentCall()).toThrow(
      expect.objectContaining({
        code: 'NO_CALL_CONTEXT',
        message: expect.stringContaining('Read it first thing in the handler'),
      }),
    );
    await expect(remote.readLate()).rejects.toMatchObject({ code: 'NO_CALL_CONTEXT' });
    // The slot is restored after every handler, even one that threw.
    expect(() => currentCall()).toThrow(expect.objectContaining({ code: 'NO_CALL_CONTEXT' }));
  });
});

describe('IncomingCall', () => {
  it('makes its signal on first read, already aborted when the abort came first', () => {
    const call = new IncomingCall(7, 'jobs', 'run', undefined);
    const reason = new Error('gone');
    call.abort(reason);
    call.abort(new Error('a second abort is ignored'));
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe(reason);
    expect(call.signal).toBe(call.signal);
  });

  it('aborts the controller of the AbortSignal argument', () => {
    const controller = new AbortController();
    const call = new IncomingCall(8, 'jobs', 'run', controller);
    expect(call.signal).toBe(controller.signal);
    call.abort('stop');
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBe('stop');
  });
});

describe('runInCall', () => {
  it('makes one context per call on first ask, hands it to its owner, and restores the outer call after a nested one', () => {
    const adopted: IncomingCall[] = [];
    const owner = { adopt: (call: IncomingCall) => adopted.push(call) };
    const seen: string[] = [];
    const inner = (): void => {
      seen.push(`inner ${currentCall().callId}`);
    };
    const outer = (): void => {
      const first = currentCall();
      runInCall(owner, 2, 9, 'next', undefined, inner, undefined, []);
      expect(currentCall()).toBe(first);
      seen.push(`outer ${first.callId} ${String(first.service)}.${first.method}`);
    };
    runInCall(owner, 1, 'jobs', 'run', undefined, outer, undefined, []);
    expect(seen).toEqual(['inner 2', 'outer 1 jobs.run']);
    expect(adopted.map((call) => call.callId)).toEqual([1, 2]);
    expect(() => currentCall()).toThrow(expect.objectContaining({ code: 'NO_CALL_CONTEXT' }));
  });
});
