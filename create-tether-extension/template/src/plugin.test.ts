// The counter as a host sees it, without a process: @tether/sdk/testing connects the plugin's service and a
// host in this process over the real wire protocol, so calls, errors, events, streams and logs behave as they
// do across the process boundary. `npm test` compiles this file and runs it: node --test dist/plugin.test.js
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { RemoteError, type Remote } from '@tether/sdk';
import { connectInProcess, type InProcessPlugin } from '@tether/sdk/testing';
import { counter, type CountChange, type Counter } from './contract.js';
import { createCounter } from './counter.js';

let plugin: InProcessPlugin<Counter>;
beforeEach(async () => {
  plugin = await connectInProcess(counter, createCounter());
});
afterEach(() => plugin.dispose());

/** The changes `remote` announces, up to the one that reaches `count` (events come after the results). */
function changesUntil(remote: Remote<Counter>, count: number): Promise<CountChange[]> {
  return new Promise((resolve) => {
    const changes: CountChange[] = [];
    const subscription = remote.onDidChange((change) => {
      changes.push(change);
      if (change.count !== count) return;
      subscription.dispose();
      resolve(changes);
    });
  });
}

test('increment adds, and returns the new count', async () => {
  assert.equal(await plugin.remote.increment(2), 2);
  assert.equal(await plugin.remote.increment(-5), -3);
  assert.equal(await plugin.remote.current(), -3);
});

test('a count that is not a whole number is refused with an error the caller can branch on', async () => {
  await assert.rejects(plugin.remote.increment(0.5), (error) => {
    assert.ok(error instanceof RemoteError);
    assert.equal(error.name, 'RangeError');
    assert.equal(error.code, 'NOT_A_WHOLE_NUMBER');
    assert.equal(error.message, 'increment(0.5): count by a whole number, like 1 or -1.');
    return true;
  });
  assert.equal(await plugin.remote.current(), 0);
});

test('countTo streams each count as it is made', async () => {
  await plugin.remote.increment(1);
  const counts: number[] = [];
  for await (const count of await plugin.remote.countTo(4)) counts.push(count);
  assert.deepEqual(counts, [2, 3, 4]);
  assert.equal(await plugin.remote.current(), 4);
});

test('onDidChange fires for every change', { timeout: 10_000 }, async () => {
  const changes = changesUntil(plugin.remote, 4);
  await plugin.remote.increment(2);
  for await (const count of await plugin.remote.countTo(4)) assert.ok(count <= 4);
  assert.deepEqual(await changes, [
    { count: 2, by: 2 },
    { count: 3, by: 1 },
    { count: 4, by: 1 },
  ]);
});

test('logs each change through the sdk logger, as the host receives it', async () => {
  await plugin.remote.increment(3);
  assert.deepEqual(
    plugin.logs.map(({ level, scope, message, fields }) => ({ level, scope, message, fields })),
    [{ level: 'info', scope: 'counter', message: 'counted', fields: { by: 3, count: 3 } }],
  );
});
