// The counter itself: plain TypeScript implementing the contract. It knows nothing of processes: the tests
// run it in-process (src/plugin.test.ts), the plugin serves it from its own (src/plugin.ts).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Emitter, log, type Logger } from '@tether/sdk';
import type { CountChange, Counter } from './contract.js';

/** A counter starting at `start`, logging each change through `logger` (the sdk's logger by default). */
export function createCounter(start = 0, logger: Logger = log.scope('counter')): Counter {
  let count = start;
  const changes = new Emitter<CountChange>();

  function add(by: number): number {
    count += by;
    // A structured record (level, scope, fields): in a plugin it goes to the host's logs, not stdout.
    logger.info('counted', { by, count });
    changes.fire({ count, by });
    return count;
  }

  return {
    increment(by) {
      if (!Number.isSafeInteger(by))
        throw notAWholeNumber(`increment(${by}): count by a whole number, like 1 or -1.`);
      return add(by);
    },
    current() {
      return count;
    },
    async *countTo(to) {
      if (!Number.isSafeInteger(to))
        throw notAWholeNumber(`countTo(${to}): count to a whole number, like 10.`);
      while (count < to) {
        yield add(1);
        // Let the plugin's other calls (and its replies to the host's liveness checks) run between counts,
        // so counting to a million does not hold the process.
        await nextTurn();
      }
    },
    onDidChange: changes.event,
  };
}

/** The error the contract promises: a RangeError whose `code` the caller can branch on. */
function notAWholeNumber(message: string): RangeError {
  return Object.assign(new RangeError(message), { code: 'NOT_A_WHOLE_NUMBER' });
}
