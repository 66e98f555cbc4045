// The DevTools panel's connection file: what the app writes is what the panel accepts, and every way it can
// be missing or wrong says what to do instead of opening a socket.
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../../sdk/src/test-support/rejection-of.js';
import { connectionFileOpener, readConnectionFile } from './connection-file.js';
import { devtoolsSocketUrl, parseDevtoolsConnection } from './devtools-connection.js';

const base = 'chrome-extension://nbkdkdgbjfoiiolkjpagioajppcmlfml/panel.html';
const good = { url: 'ws://127.0.0.1:4100/ws', token: 'a+b/c=' };

/** A fetch that answers `status` with `body`, and records what it was asked. */
function files(status: number, body: string) {
  const asked: { url: string; cache: RequestCache | undefined }[] = [];
  const fetchFile = ((input: URL, init?: RequestInit) => {
    asked.push({ url: input.href, cache: init?.cache });
    return Promise.resolve(new Response(body, { status }));
  }) as typeof fetch;
  return { fetchFile, asked };
}

describe('parseDevtoolsConnection', () => {
  it('accepts what the app writes; the socket URL carries the token, encoded', () => {
    expect(parseDevtoolsConnection(good)).toEqual(good);
    expect(devtoolsSocketUrl(good)).toBe('ws://127.0.0.1:4100/ws?token=a%2Bb%2Fc%3D');
  });

  it.each([
    ['not an object', [], 'is not an object'],
    ['no url', { token: 't' }, 'has no "url"'],
    ['a url that is not one', { url: 'nope', token: 't' }, 'not a URL'],
    ['an http url', { url: 'http://127.0.0.1:4100/ws', token: 't' }, 'not a WebSocket'],
    ['a url with a query', { url: 'ws://127.0.0.1:4100/ws?token=t', token: 't' }, 'query'],
    ['no token', { url: good.url }, 'has no "token"'],
    ['an empty token', { url: good.url, token: '' }, 'has no "token"'],
  ])('refuses %s, naming who writes the file', (_what, value, says) => {
    const error = (() => {
      try {
        parseDevtoolsConnection(value);
      } catch (caught) {
        return caught as { code: string; message: string };
      }
      throw new Error('accepted');
    })();
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain(says);
    expect(error.message).toContain('prepareDevtoolsExtension');
  });
});

describe('readConnectionFile', () => {
  it('reads connection.json next to the panel, never from the cache', async () => {
    const { fetchFile, asked } = files(200, JSON.stringify(good));
    expect(await readConnectionFile(base, fetchFile)).toEqual(good);
    expect(asked).toEqual([
      { url: 'chrome-extension://nbkdkdgbjfoiiolkjpagioajppcmlfml/connection.json', cache: 'no-store' },
    ]);
  });

  it('says the extension was not prepared when the file is missing (a 404, or an extension’s network error)', async () => {
    const missing = await rejectionOf(readConnectionFile(base, files(404, 'Not found.').fetchFile));
    expect(missing.code).toBe('INVALID_OPTIONS');
    expect(missing.message).toMatch(/has no connection\.json: load the copy the app prepares/);
    const failing = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    expect((await rejectionOf(readConnectionFile(base, failing))).message).toBe(missing.message);
  });

  it('refuses a file that is not JSON, or not the app’s', async () => {
    expect((await rejectionOf(readConnectionFile(base, files(200, '{').fetchFile))).message).toMatch(
      /not JSON/,
    );
    const wrong = files(200, JSON.stringify({ url: 'http://x/' })).fetchFile;
    expect((await rejectionOf(readConnectionFile(base, wrong))).message).toMatch(/not a WebSocket/);
  });

  it('the panel’s opener rereads the file at every attempt and fails before any socket without it', async () => {
    const { fetchFile, asked } = files(404, '');
    const open = connectionFileOpener(base, fetchFile);
    expect((await rejectionOf(open())).code).toBe('INVALID_OPTIONS');
    expect((await rejectionOf(open())).code).toBe('INVALID_OPTIONS');
    expect(asked).toHaveLength(2);
  });
});
