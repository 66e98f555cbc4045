// The web host over real HTTP and real WebSockets (the `ws` package as the browser): the UI's files with
// their headers, every way in that must stay shut, and a good client driving the manager.
import { request } from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { rejectionOf } from '../../../sdk/src/test-support/rejection-of.js';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { AUDIT_LOG_SCOPE } from '../constants.js';
import type { ExtensionHostManager } from '../manager/extension-host-manager.js';
import { ManagerTestbed } from '../manager/test-fixtures/manager-testbed.js';
import { connectWebUi, type WebUiClient } from './test-fixtures/web-ui-client.js';
import { serveWebUi, type WebUiRefusal, type WebUiServer } from './web-ui-server.js';

let bed: ManagerTestbed;
let manager: ExtensionHostManager;
let ui: string;
let server: WebUiServer;
const refusals: WebUiRefusal[] = [];
const cleanup: (() => unknown)[] = [];

beforeEach(async () => {
  bed = await ManagerTestbed.create();
  await bed.addExtension({ name: '@acme/first' });
  await bed.addExtension({ name: 'second' });
  ui = join(bed.root, 'ui');
  await mkdir(join(ui, 'assets'), { recursive: true });
  await writeFile(join(ui, 'index.html'), '<!doctype html><title>Tether</title>');
  await writeFile(join(ui, 'assets', 'index-B2xkF0aA.js'), 'console.log("ui");');
  await writeFile(join(ui, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(ui, '.env'), 'SECRET=1');
  await writeFile(join(bed.root, 'secret.txt'), 'the secret');
  await symlink(join(bed.root, 'secret.txt'), join(ui, 'link-out.txt'));
  manager = await bed.manager({ watch: false });
  server = await serveWebUi({ manager, staticRoot: ui });
  refusals.length = 0;
  cleanup.push(server.onDidRefuse((refusal) => refusals.push(refusal)).dispose);
});

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  await server.close();
  await bed.dispose();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request with the path sent as written (no normalisation) and the Host header of a browser. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method,
        headers: { host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function socketUrl(query = `?token=${server.token}`, path = '/ws'): string {
  return `ws://127.0.0.1:${server.port}${path}${query}`;
}

const goodOrigin = (): string => `http://127.0.0.1:${server.port}`;

/** Opens a WebSocket and resolves with 101 once it is open, or with the status that refused the upgrade. */
function upgradeStatus(
  url: string,
  options: { origin?: string; host?: string } = { origin: goodOrigin() },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      ...(options.host === undefined ? {} : { headers: { host: options.host } }),
    });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.on('error', reject);
  });
}

/** A UI: an open WebSocket with the page's origin, an RPC peer over it, and the manager's API. */
async function connectUi(): Promise<WebUiClient> {
  const client = await connectWebUi(server.url);
  cleanup.push(() => client.dispose());
  return client;
}

describe('the web host serves the UI bundle', () => {
  it('listens on 127.0.0.1 and prints a URL with a fresh base64url token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.port).toBeGreaterThan(0);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves index.html for / with the security headers', async () => {
    const answer = await get(`/?token=${server.token}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<title>Tether</title>');
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).not.toContain('unsafe');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['x-frame-options']).toBe('DENY');
  });

  it('serves assets with their content type; hashed ones are immutable', async () => {
    const script = await get('/assets/index-B2xkF0aA.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const svg = await get('/logo.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
    const head = await get('/logo.svg', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers localhost:<port> as well, with a policy naming that host', async () => {
    const answer = await get('/', { host: `localhost:${server.port}` });
    expect(answer.status).toBe(200);
    expect(String(answer.headers['content-security-policy'])).toContain(`ws://localhost:${server.port}`);
  });

  it.each([
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/link-out.txt',
    '/.env',
    '/assets',
    '/missing.js',
  ])('never serves what is outside the bundle or not a file: %s', async (path) => {
    const answer = await get(path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('the secret');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses paths that do not decode, and methods other than GET and HEAD', async () => {
    expect((await get('/%E0%A4%A')).status).toBe(400);
    expect((await get('/a%00b')).status).toBe(400);
    const post = await get('/', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  it.each(['evil.example', `evil.example:${0}`, '127.0.0.1', 'localhost:1', '[::1]'])(
    'refuses a request for another host (DNS rebinding): Host %s',
    async (host) => {
      const answer = await get('/', { host: host.replace(':0', `:${server.port}`) });
      expect(answer.status).toBe(421);
      expect(answer.body).toContain(`http://127.0.0.1:${server.port}`);
      expect(answer.body).not.toContain('<title>');
      expect(String(answer.headers['content-security-policy'])).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    },
  );

  it('answers a plain GET of the socket path with 426', async () => {
    expect((await get('/ws')).status).toBe(426);
  });
});

describe('the WebSocket lets in only its own page with the token', () => {
  it('a good client lists the extensions through Remote<ManagerApi>', async () => {
    const { api } = await connectUi();
    const list = await api.list();
    expect(list.map((extension) => extension.id).sort()).toEqual(['@acme/first', 'second']);
    expect(server.connections).toBe(1);
  });

  it('accepts the localhost origin when the page was opened as localhost', async () => {
    expect(
      await upgradeStatus(socketUrl(), {
        origin: `http://localhost:${server.port}`,
        host: `localhost:${server.port}`,
      }),
    ).toBe(101);
  });

  it.each([
    ['another origin', { origin: 'http://evil.example' }, 'wrong-origin'],
    ['another port of 127.0.0.1', { origin: 'http://127.0.0.1:1' }, 'wrong-origin'],
    ['https of the same host', { origin: 'https://127.0.0.1:PORT' }, 'wrong-origin'],
    ['the "null" origin of a sandboxed frame or file', { origin: 'null' }, 'wrong-origin'],
    ['no Origin (not a browser page)', {}, 'wrong-origin'],
    ['another Host (DNS rebinding)', { origin: 'GOOD', host: 'evil.example:PORT' }, 'wrong-host'],
  ] as const)('refuses %s with 403', async (_what, options, reason) => {
    const port = String(server.port);
    const fill = (value: string | undefined): string | undefined =>
      value === 'GOOD' ? goodOrigin() : value?.replace('PORT', port);
    const origin = fill('origin' in options ? options.origin : undefined);
    const host = fill('host' in options ? options.host : undefined);
    expect(
      await upgradeStatus(socketUrl(), {
        ...(origin === undefined ? {} : { origin }),
        ...(host === undefined ? {} : { host }),
      }),
    ).toBe(403);
    expect(refusals.map((refusal) => refusal.reason)).toEqual([reason]);
    expect(server.connections).toBe(0);
  });

  it.each([
    ['no token', ''],
    ['an empty token', '?token='],
    ['a wrong token', '?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['the token twice', 'TWICE'],
    ['a prefix of the token', 'PREFIX'],
  ])('refuses %s with 403', async (_what, query) => {
    const actual =
      query === 'TWICE'
        ? `?token=${server.token}&token=${server.token}`
        : query === 'PREFIX'
          ? `?token=${server.token.slice(0, 20)}`
          : query;
    expect(await upgradeStatus(socketUrl(actual))).toBe(403);
    expect(refusals.map((refusal) => refusal.reason)).toEqual(['wrong-token']);
    expect(server.connections).toBe(0);
  });

  it('a refused upgrade leaves an audit record, never the token', async () => {
    const { api } = await connectUi();
    expect(await upgradeStatus(socketUrl('?token=nope'))).toBe(403);
    expect(await upgradeStatus(socketUrl(), { origin: 'http://evil.example' })).toBe(403);
    const audit = await api.audit({});
    const messages = audit.records.map((record) => record.message);
    expect(messages).toEqual([
      expect.stringContaining('a wrong token'),
      expect.stringContaining('http://evil.example'),
    ]);
    expect(audit.records.every((record) => record.scope === AUDIT_LOG_SCOPE)).toBe(true);
    expect(JSON.stringify(audit.records)).not.toContain(server.token);
    expect(server.connections).toBe(1);
  });

  it('answers another path with 404', async () => {
    expect(await upgradeStatus(socketUrl(`?token=${server.token}`, '/other'))).toBe(404);
    expect(server.connections).toBe(0);
  });
});

describe('extra origins: the app’s DevTools panel (chrome-extension://<id>)', () => {
  const panel = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
  const otherExtension = 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba';

  /** The server of the suite replaced by one that also accepts `extraOrigins`. */
  async function serveWithExtraOrigins(extraOrigins: readonly string[]): Promise<void> {
    await server.close();
    server = await serveWebUi({ manager, staticRoot: ui, extraOrigins });
    cleanup.push(server.onDidRefuse((refusal) => refusals.push(refusal)).dispose);
  }

  it('refuses an extension’s page by default, token or not', async () => {
    expect(await upgradeStatus(socketUrl(), { origin: panel })).toBe(403);
    expect(refusals).toEqual([{ reason: 'wrong-origin', detail: panel }]);
    expect(server.connections).toBe(0);
  });

  it('accepts exactly the origins it was told, with the token; its own page still works', async () => {
    await serveWithExtraOrigins([panel]);
    expect(await upgradeStatus(socketUrl(), { origin: panel })).toBe(101);
    expect(await upgradeStatus(socketUrl(), { origin: goodOrigin() })).toBe(101);
    expect(refusals).toEqual([]);
  });

  it.each([
    ['without the token', { origin: panel, query: '' }, 'wrong-token'],
    ['with a wrong token', { origin: panel, query: '?token=nope-nope-nope-nope' }, 'wrong-token'],
    ['for another Host (DNS rebinding)', { origin: panel, host: 'evil.example:PORT' }, 'wrong-host'],
    ['from another extension', { origin: otherExtension }, 'wrong-origin'],
    ['in other letter case (exact match)', { origin: panel.toUpperCase() }, 'wrong-origin'],
    ['with a path after it', { origin: `${panel}/panel.html` }, 'wrong-origin'],
    ['as a prefix of a longer origin', { origin: `${panel}x` }, 'wrong-origin'],
  ] as const)('still refuses the extra origin %s', async (_what, options, reason) => {
    await serveWithExtraOrigins([panel]);
    const query = 'query' in options ? options.query : `?token=${server.token}`;
    const host = 'host' in options ? options.host.replace('PORT', String(server.port)) : undefined;
    expect(
      await upgradeStatus(socketUrl(query), {
        origin: options.origin,
        ...(host === undefined ? {} : { host }),
      }),
    ).toBe(403);
    expect(refusals.map((refusal) => refusal.reason)).toEqual([reason]);
    expect(server.connections).toBe(0);
  });

  it('a UI of the extra origin drives the manager like the page', async () => {
    await serveWithExtraOrigins([panel]);
    const client = await connectWebUi(server.url, { origin: panel });
    cleanup.push(() => client.dispose());
    expect((await client.api.list()).map((extension) => extension.id).sort()).toEqual([
      '@acme/first',
      'second',
    ]);
  });

  it.each([
    ['a wildcard', '*'],
    ['"null"', 'null'],
    ['an empty string', ''],
    ['a trailing slash', `${panel}/`],
    ['a path', `${panel}/panel.html`],
    ['upper case', panel.toUpperCase()],
    ['no scheme', 'abcdefghijklmnopabcdefghijklmnop'],
  ])('refuses to start with %s among the extra origins', async (_what, origin) => {
    const error = await rejectionOf(serveWebUi({ manager, staticRoot: ui, extraOrigins: [origin] }));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('chrome-extension://<extension id>');
  });

  it('names its WebSocket without the token', () => {
    expect(server.webSocketUrl).toBe(`ws://127.0.0.1:${server.port}/ws`);
  });
});

describe('closing the web host', () => {
  it('disconnects every UI: pending calls reject, the peers close', async () => {
    const first = await connectUi();
    const second = await connectUi();
    await first.api.list();
    await second.api.list();
    await waitFor(() => server.connections === 2, { what: 'both UIs to be connected' });
    const closedPeers: string[] = [];
    first.peer.onDidClose(() => closedPeers.push('first'));
    second.peer.onDidClose(() => closedPeers.push('second'));
    const closeErrors: unknown[] = [];
    first.peer.onDidClose(({ error }) => closeErrors.push(error));
    // In flight while the host closes: it completes or fails with the close, never hangs.
    const pending = first.api.stats().then(
      () => 'done',
      (error: { code?: string }) => error.code,
    );
    await server.close();
    await waitFor(() => closedPeers.length === 2, { what: 'both UI peers to close' });
    expect(['done', 'CONNECTION_CLOSED']).toContain(await pending);
    // An orderly close (GOAWAY), not a dropped connection.
    expect(closeErrors).toEqual([undefined]);
    expect(server.connections).toBe(0);
    const after = await rejectionOf(second.api.list());
    expect(after.code).toBe('CONNECTION_CLOSED');
    await expect(get('/')).rejects.toThrow();
  });

  it('is idempotent', async () => {
    await Promise.all([server.close(), server.close()]);
    await server.close();
  });
});
