// The commands the fixture plugin registers in its 'commands' mode (misbehaving-plugin.ts), run by
// commands.process.test.ts through the built-in `tether.commands` service.
import type { CommandHandlers } from '@tether/sdk';

/** A handler's own error, with a code and a cause, to check that its shape survives the trip. */
export class StoreFullError extends Error {
  override name = 'StoreFullError';
  readonly code = 'STORE_FULL';
}

export const fixtureCommands = {
  /** The latest of the dates in `entries` and the key it is under: a Map in, a Date (in an object) out. */
  'fixture.latest': (entries: Map<string, Date>) => {
    let latest: { key: string; at: Date } | undefined;
    for (const [key, at] of entries) if (latest === undefined || at > latest.at) latest = { key, at };
    return latest;
  },
  'fixture.fill': async (bytes: number) => {
    await Promise.resolve();
    throw new StoreFullError(`the store cannot take ${bytes} more bytes`, {
      cause: new RangeError('quota: 0 bytes left'),
    });
  },
  'fixture.pid': () => process.pid,
} satisfies CommandHandlers;
