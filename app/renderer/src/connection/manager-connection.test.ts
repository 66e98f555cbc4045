import { describe, expect, it } from 'vitest';
import { connectRpc, createMemoryTransportPair, type Transport } from '@tether/sdk/common';
import { waitFor } from '../../../../sdk/src/test-support/wait-for.js';
import { ManagerConnection, webSocketUrl, type ConnectionStatus } from './manager-connection.js';

/** An opener that fails `failures` times, then hands out one end of a memory pair (the other end kept). */
function opener(failures: number): {
  open: () => Promise<Transport>;
  hostEnds: Transport[];
  attempts: () => number;
} {
  let attempts = 0;
  const hostEnds: Transport[] = [];
  return {
    hostEnds,
    attempts: () => attempts,
    open: () => {
      attempts++;
      if (attempts <= failures) return Promise.reject(new Error('connection refused'));
      const [ui, host] = createMemoryTransportPair();
      // The host's side: an acceptor peer (the test only watches the UI's connection state).
      connectRpc(host, { role: 'acceptor' });
      hostEnds.push(host);
      return Promise.resolve(ui);
    },
  };
}

describe('ManagerConnection', () => {
  it('retries with backoff until the host answers, then offers the api', async () => {
    const { open, attempts } = opener(2);
    const connection = new ManagerConnection(open, { initialDelayMs: 1, maxDelayMs: 4 });
    const seen: ConnectionStatus[] = [];
    connection.subscribe(() => seen.push(connection.snapshot.status));
    connection.start();
    await waitFor(() => connection.snapshot.status === 'connected', { what: 'the connection' });
    expect(attempts()).toBe(3);
    expect(seen).toEqual(['reconnecting', 'reconnecting', 'connected']);
    expect(connection.snapshot.api).toBeDefined();
    expect(connection.snapshot.generation).toBe(1);
    expect(connection.snapshot.attempt).toBe(0);
    connection.dispose();
    expect(connection.snapshot.status).toBe('closed');
  });

  it('says why it lost the connection and connects again, as a new generation', async () => {
    const { open, hostEnds } = opener(0);
    const connection = new ManagerConnection(open, { initialDelayMs: 1, maxDelayMs: 4 });
    connection.start();
    await waitFor(() => connection.snapshot.status === 'connected', { what: 'the first connection' });
    const seen: { status: ConnectionStatus; error: string | undefined; api: boolean }[] = [];
    connection.subscribe(() => {
      const { status, error, api } = connection.snapshot;
      seen.push({ status, error, api: api !== undefined });
    });
    hostEnds[0]!.dispose();
    await waitFor(() => connection.snapshot.generation === 2, { what: 'the second connection' });
    expect(seen.map((s) => s.status)).toEqual(['reconnecting', 'connected']);
    expect(seen[0]).toMatchObject({
      api: false,
      error: expect.stringMatching(/CONNECTION_CLOSED/) as unknown,
    });
    expect(connection.snapshot.status).toBe('connected');
    connection.dispose();
  });
});

describe('webSocketUrl', () => {
  it('is the page’s host, path /ws, with the page’s token', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:4100', search: '?token=a+b/c' })).toBe(
      'ws://127.0.0.1:4100/ws?token=a%20b%2Fc',
    );
    expect(webSocketUrl({ protocol: 'https:', host: 'example.test', search: '' })).toBe(
      'wss://example.test/ws?token=',
    );
  });
});
