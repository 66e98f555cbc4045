// A realistic plugin service for the tests of @tether/sdk/testing, written as an extension author would:
// imports from '@tether/sdk' only. Map in, Dates out, an error with a code, an event, a stream, a callback,
// cancellation without an AbortSignal parameter, logging, and a host service it calls.
import { Emitter, currentCall, defineService, log, type Event, type ServeHandle } from '@tether/sdk';

export interface Added {
  readonly title: string;
  readonly at: Date;
}

/** Served by the plugin. */
export interface Catalog {
  /** Adds books (title → copies); answers when each was added. */
  add(books: Map<string, number>): Promise<Date[]>;
  /** Lends `title` to `member`, whom the host must know; throws NOT_A_MEMBER otherwise. */
  lend(title: string, member: string): Promise<string>;
  /** The titles, one at a time. */
  titles(): AsyncIterable<string>;
  /** Calls `visit` with each title, in order; answers how many. */
  visit(visitor: (title: string) => Promise<void>): Promise<number>;
  /** Works until the caller gives up (its signal or timeout); logs that it stopped. */
  reindex(): Promise<string>;
  readonly onDidAdd: Event<Added>;
}

export const catalog = defineService<Catalog>()('catalog', {
  methods: { add: {}, lend: {}, titles: {}, visit: {}, reindex: {} },
  events: { onDidAdd: true },
});

/** Served by the host: who may borrow. */
export interface Members {
  isMember(name: string): boolean;
}

export const members = defineService<Members>()('library.members', { methods: { isMember: {} } });

export class NotAMemberError extends Error {
  override name = 'NotAMemberError';
  readonly code = 'NOT_A_MEMBER';
}

/**
 * The catalog, given the plugin's side of the connection: in the plugin, `serve()`'s handle; in a test, the
 * context `connectInProcess` passes to a factory. Both have `host(service)` and `log`.
 */
export function createCatalog(plugin: Pick<ServeHandle, 'host' | 'log'>): Catalog {
  const books = new Map<string, number>();
  const added = new Emitter<Added>();
  const scoped = log.scope('catalog');
  return {
    add(incoming) {
      const dates: Date[] = [];
      for (const [title, copies] of incoming) {
        books.set(title, (books.get(title) ?? 0) + copies);
        const at = new Date(Date.UTC(2026, 0, dates.length + 1));
        dates.push(at);
        added.fire({ title, at });
      }
      scoped.info('added', { count: incoming.size, titles: [...incoming.keys()] });
      return Promise.resolve(dates);
    },
    async lend(title, member) {
      if (!(await plugin.host(members).isMember(member))) {
        plugin.log.warn('refused a loan', { title, member });
        throw new NotAMemberError(`${member} is not a member; register them first.`);
      }
      return `${title} lent to ${member}`;
    },
    async *titles() {
      for (const title of books.keys()) yield await Promise.resolve(title);
    },
    async visit(visitor) {
      let count = 0;
      for (const title of books.keys()) {
        await visitor(title);
        count += 1;
      }
      return count;
    },
    reindex() {
      const { signal } = currentCall();
      return new Promise((resolve) => {
        signal.addEventListener('abort', () => {
          scoped.info('reindex stopped', { reason: (signal.reason as Error).message });
          resolve('stopped');
        });
      });
    },
    onDidAdd: added.event,
  };
}
