// @tether/sdk/testing, used as an extension author would: through the package's entry points only.
import {
  RemoteError,
  commandService,
  createLogger,
  currentCall,
  defineService,
  implement,
  log,
  proxy,
  withCallOptions,
  type LogRecord,
} from '@tether/sdk';
import { connectInProcess, type InProcessPlugin } from '@tether/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { setLogSink } from '../logging/logger.js';
import { waitFor } from '../test-support/wait-for.js';
import { catalog, createCatalog, members, type Added, type Catalog } from './test-fixtures/catalog.js';

const open: InProcessPlugin<unknown>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((plugin) => plugin.dispose()));
});

/** The catalog plugin with a host that knows one member, Ada. */
async function connectCatalog(
  options: Parameters<typeof connectInProcess>[2] = {},
): Promise<InProcessPlugin<Catalog>> {
  const plugin = await connectInProcess(catalog, createCatalog, {
    hostServices: [implement(members, { isMember: (name) => name === 'Ada' })],
    ...options,
  });
  open.push(plugin);
  return plugin;
}

const waitOpts = { intervalMs: 0 } as const;

describe('connectInProcess: a plugin and a host in one process', () => {
  it('calls the plugin with values that cross as across a process (Map in, Dates out)', async () => {
    const plugin = await connectCatalog();
    const dates = await plugin.remote.add(
      new Map([
        ['Dune', 2],
        ['Emma', 1],
      ]),
    );
    expect(dates).toEqual([new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 0, 2))]);
    expect(dates[0]).toBeInstanceOf(Date);
  });

  it('takes a plain implementation too', async () => {
    const greeter = defineService<{ greet(name: string): string }>()('greeter', {
      methods: { greet: {} },
    });
    const plugin = await connectInProcess(greeter, { greet: (name) => `Hello, ${name}!` });
    open.push(plugin);
    expect(await plugin.remote.greet('Ada')).toBe('Hello, Ada!');
  });

  it('lets the plugin call the host’s services, and carries its errors with name, code and message', async () => {
    const plugin = await connectCatalog();
    expect(await plugin.remote.lend('Dune', 'Ada')).toBe('Dune lent to Ada');
    const refused = plugin.remote.lend('Dune', 'Bob');
    await expect(refused).rejects.toBeInstanceOf(RemoteError);
    await expect(refused).rejects.toMatchObject({
      name: 'NotAMemberError',
      code: 'NOT_A_MEMBER',
      message: expect.stringContaining('Bob is not a member'),
    });
  });

  it('says which host service is missing when the plugin calls one the test did not provide', async () => {
    const plugin = await connectCatalog({ hostServices: [] });
    await expect(plugin.remote.lend('Dune', 'Ada')).rejects.toMatchObject({
      code: 'SERVICE_NOT_FOUND',
      message: expect.stringContaining('library.members'),
    });
  });

  it('delivers the plugin’s events to the host’s subscribers', async () => {
    const plugin = await connectCatalog();
    const seen: Added[] = [];
    const subscription = plugin.remote.onDidAdd((event) => seen.push(event));
    await waitFor(() => plugin.pluginPeer.stats().eventSubscriptions === 1, {
      what: 'the subscription to reach the plugin',
      ...waitOpts,
    });
    await plugin.remote.add(new Map([['Dune', 1]]));
    await waitFor(() => seen.length === 1, { what: 'the event', ...waitOpts });
    expect(seen).toEqual([{ title: 'Dune', at: new Date(Date.UTC(2026, 0, 1)) }]);
    subscription.dispose();
  });

  it('streams: a method returning an AsyncIterable is read item by item', async () => {
    const plugin = await connectCatalog();
    await plugin.remote.add(new Map(['A', 'B', 'C'].map((title) => [title, 1])));
    const titles: string[] = [];
    for await (const title of await plugin.remote.titles()) titles.push(title);
    expect(titles).toEqual(['A', 'B', 'C']);
  });

  it('passes callbacks with proxy()', async () => {
    const plugin = await connectCatalog();
    await plugin.remote.add(new Map(['A', 'B'].map((title) => [title, 1])));
    const visited: string[] = [];
    const count = await plugin.remote.visit(
      proxy((title: string) => {
        visited.push(title);
      }),
    );
    expect([count, visited]).toEqual([2, ['A', 'B']]);
  });

  it('cancels: withCallOptions({ signal }) aborts the handler’s currentCall().signal', async () => {
    const plugin = await connectCatalog();
    const controller = new AbortController();
    const reindex = withCallOptions(plugin.remote, { signal: controller.signal }).reindex();
    await waitFor(() => plugin.pluginPeer.stats().runningHandlers === 1, {
      what: 'reindex() to start',
      ...waitOpts,
    });
    controller.abort();
    await expect(reindex).rejects.toMatchObject({ code: 'ABORTED' });
    await waitFor(() => plugin.logs.some((record) => record.message === 'reindex stopped'), {
      what: 'the handler to log that it stopped',
      ...waitOpts,
    });
  });

  it('runs the plugin’s commands and serves its other services', async () => {
    const extra = defineService<{ version(): string }>()('catalog.meta', { methods: { version: {} } });
    const plugin = await connectCatalog({
      services: [implement(extra, { version: () => '2.1.0' })],
      commands: { 'catalog.hello': (name: string) => `hello ${name}` },
    });
    expect(await plugin.dispense(extra).version()).toBe('2.1.0');
    expect(await plugin.dispense(commandService).list()).toEqual(['catalog.hello']);
    expect(await plugin.dispense(commandService).execute('catalog.hello', ['Ada'])).toBe('hello Ada');
  });

  it('gives a factory for the extra services the plugin’s context too', async () => {
    const echo = defineService<{ isMember(name: string): Promise<boolean> }>()('echo', {
      methods: { isMember: {} },
    });
    const plugin = await connectCatalog({
      services: ({ host }) => [implement(echo, { isMember: (name) => host(members).isMember(name) })],
    });
    expect(await plugin.dispense(echo).isMember('Ada')).toBe(true);
  });
});

describe('connectInProcess: the plugin’s logs', () => {
  it('captures the sdk’s log and the context’s log as the host receives them', async () => {
    const plugin = await connectCatalog();
    await plugin.remote.add(new Map([['Dune', 1]]));
    await expect(plugin.remote.lend('Dune', 'Bob')).rejects.toThrow();
    expect(plugin.logs).toEqual([
      expect.objectContaining({
        level: 'info',
        scope: 'catalog',
        message: 'added',
        fields: { count: 1, titles: ['Dune'] },
        time: expect.any(Number) as number,
      }),
      expect.objectContaining({
        level: 'warn',
        scope: '',
        message: 'refused a loan',
        fields: { title: 'Dune', member: 'Bob' },
      }),
    ]);
  });

  it('records what a host would receive: errors as data, values the codec cannot carry described', async () => {
    const plugin = await connectCatalog();
    const failure = Object.assign(new TypeError('bad shelf'), { code: 'E_SHELF' });
    log.error('shelving failed', { error: failure, retry: () => 1, when: new Date(0) });
    const [record] = plugin.logs;
    expect(record?.error).toMatchObject({ name: 'TypeError', message: 'bad shelf', code: 'E_SHELF' });
    expect(record?.error?.stack).toContain('bad shelf');
    expect(record?.fields?.['retry']).toBe('[Function: retry]');
    expect(record?.fields?.['when']).toEqual(new Date(0));
  });

  it('fires onDidLog for each record, and clearLogs() empties the list', async () => {
    const plugin = await connectCatalog();
    const fired: LogRecord[] = [];
    const subscription = plugin.onDidLog((record) => fired.push(record));
    createLogger('db').debug('connected');
    expect(fired).toEqual([expect.objectContaining({ scope: 'db', level: 'debug', message: 'connected' })]);
    expect(plugin.logs).toHaveLength(1);
    plugin.clearLogs();
    expect(plugin.logs).toEqual([]);
    log.info('again');
    expect(plugin.logs).toEqual([expect.objectContaining({ message: 'again' })]);
    subscription.dispose();
  });

  it('captures console.* only when asked, and puts the console back on dispose', async () => {
    const original = console.info;
    const plugin = await connectCatalog({ captureConsole: true });
    expect(console.info).not.toBe(original);
    console.info('from %s', 'the console');
    expect(plugin.logs).toEqual([
      expect.objectContaining({ scope: 'console', level: 'info', message: 'from the console' }),
    ]);
    await plugin.dispose();
    expect(console.info).toBe(original);
  });

  it('sends the sdk’s log to the newest connection, each context’s log to its own', async () => {
    let firstLog: ((message: string) => void) | undefined;
    const first = await connectInProcess(catalog, (context) => {
      firstLog = (message) => context.log.info(message);
      return createCatalog(context);
    });
    open.push(first);
    const second = await connectCatalog();
    log.info('to the newest');
    firstLog?.('to the first');
    expect(first.logs.map((record) => record.message)).toEqual(['to the first']);
    expect(second.logs.map((record) => record.message)).toEqual(['to the newest']);
    await second.dispose();
    log.info('back to the first');
    expect(first.logs.map((record) => record.message)).toEqual(['to the first', 'back to the first']);
  });
});

describe('connectInProcess: dispose', () => {
  it('runs onStop, rejects pending calls, aborts running handlers and leaves nothing behind', async () => {
    const stops: string[] = [];
    const plugin = await connectCatalog({
      onStop: () => {
        stops.push('stopped');
      },
    });
    let handlerSignal: AbortSignal | undefined;
    const hang = defineService<{ wait(): Promise<void> }>()('hang', { methods: { wait: {} } });
    const other = await connectInProcess(hang, {
      wait: () => {
        handlerSignal = currentCall().signal;
        return new Promise<void>(() => {});
      },
    });
    const pending = other.remote.wait();
    await waitFor(() => handlerSignal, { what: 'wait() to start', ...waitOpts });
    await other.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(handlerSignal?.aborted).toBe(true);
    expect(other.hostPeer.stats()).toMatchObject({ pendingCalls: 0, runningHandlers: 0 });
    expect(other.pluginPeer.stats()).toMatchObject({ pendingCalls: 0, runningHandlers: 0 });

    await plugin.dispose();
    await plugin.dispose(); // idempotent
    expect(stops).toEqual(['stopped']);
    await expect(plugin.remote.add(new Map())).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    // The log sink went with it: the sdk's log no longer reaches this plugin's records.
    const elsewhere: LogRecord[] = [];
    const sink = setLogSink((record) => elsewhere.push(record));
    try {
      log.info('after dispose');
    } finally {
      sink.dispose();
    }
    expect(plugin.logs).toEqual([]);
    expect(elsewhere).toEqual([expect.objectContaining({ message: 'after dispose' })]);
  });

  it('is what Symbol.asyncDispose does (await using)', async () => {
    const plugin = await connectCatalog();
    await plugin[Symbol.asyncDispose]();
    expect(plugin.hostPeer.closed).toBe(true);
    expect(plugin.pluginPeer.closed).toBe(true);
  });

  it('rejects with onStop’s error, after closing anyway', async () => {
    const plugin = await connectCatalog({
      onStop: () => Promise.reject(new Error('the store could not flush')),
    });
    open.splice(open.indexOf(plugin), 1);
    await expect(plugin.dispose()).rejects.toThrow('the store could not flush');
    expect(plugin.hostPeer.closed).toBe(true);
  });
});

describe('connectInProcess: mistakes', () => {
  it('rejects an implementation that lacks a declared method, saying which', async () => {
    await expect(
      connectInProcess(catalog, { add: () => Promise.resolve([]) } as unknown as Catalog),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('has no method "lend"'),
    });
  });

  it('rejects options that are not implement() bindings', async () => {
    await expect(
      connectInProcess(catalog, createCatalog, { hostServices: [{}] as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('hostServices lists something that is not made by implement'),
    });
  });

  it('rejects a service served twice', async () => {
    await expect(
      connectInProcess(catalog, createCatalog, { services: [implement(catalog, createCatalog(stub()))] }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('already exposed') });
  });

  it('rejects with the factory’s error, and removes its log sink', async () => {
    await expect(
      connectInProcess(catalog, () => {
        throw new Error('no database');
      }),
    ).rejects.toThrow('no database');
    const elsewhere: LogRecord[] = [];
    const sink = setLogSink((record) => elsewhere.push(record));
    try {
      log.info('after a failed connect');
    } finally {
      sink.dispose();
    }
    expect(elsewhere).toHaveLength(1);
  });
});

/** A plugin context for building an implementation outside a connection. */
function stub(): Parameters<typeof createCatalog>[0] {
  return {
    host: () => {
      throw new Error('no host here');
    },
    log: createLogger('', () => {}),
  };
}
