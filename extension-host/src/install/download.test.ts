// downloadPackage against real servers on this machine (node:http on 127.0.0.1, port 0; node:https with a
// self-signed certificate made here by the openssl command): success with progress, slow, truncated,
// oversized, wrong content type, redirects refused or looping, plain HTTP refused without connecting.
// Every failure also asserts that no file, temporary or final, is left behind.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { downloadPackage } from './download.js';
import type { DownloadOptions, DownloadProgress } from './download-options.js';
import type { InstallError } from './install-error.js';
import { type PackageServer, type Route, startPackageServer } from './test-fixtures/package-server.js';

const PACKAGE = randomBytes(300 * 1024);
const PACKAGE_SHA512 = createHash('sha512').update(PACKAGE).digest('hex');
const GZIP = { 'content-type': 'application/gzip' };

let work: string;
let counter = 0;
const servers: PackageServer[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tether-download-'));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function serve(
  routes: Record<string, Route>,
  tls?: { key: string; cert: string },
): Promise<PackageServer> {
  const server = await startPackageServer(routes, tls === undefined ? {} : { tls });
  servers.push(server);
  return server;
}

/** A fresh, empty folder and the destination path in it. */
async function target(): Promise<{ folder: string; destination: string }> {
  counter += 1;
  const folder = join(work, String(counter));
  await mkdir(folder);
  return { folder, destination: join(folder, 'package.tgz') };
}

/** Downloads, expects an InstallError with `code`, and that the folder is left empty. */
async function expectFailure(
  url: string,
  code: string,
  options: DownloadOptions = {},
): Promise<InstallError> {
  const { folder, destination } = await target();
  const error = await downloadPackage(url, destination, { allowLoopbackHttp: true, ...options }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(Error);
  expect((error as InstallError).code, (error as Error).message).toBe(code);
  expect(await readdir(folder)).toEqual([]);
  return error as InstallError;
}

/** Serves the package with a Content-Length, in `chunks` pieces, each after `before(i)` resolves. */
function packageRoute(
  chunks = 1,
  before: (index: number) => Promise<unknown> = () => Promise.resolve(),
): Route {
  return (_request, response) => {
    response.writeHead(200, { ...GZIP, 'content-length': String(PACKAGE.length) });
    response.flushHeaders();
    void (async () => {
      const size = Math.ceil(PACKAGE.length / chunks);
      for (let index = 0; index < chunks; index++) {
        await before(index);
        response.write(PACKAGE.subarray(index * size, (index + 1) * size));
      }
      response.end();
    })().catch((error: unknown) => response.destroy(error as Error));
  };
}

/** Answers with the headers (and `first` bytes of body), then never sends more. */
function stallingRoute(headers: Record<string, string>, first = Buffer.alloc(0)): Route {
  return (_request, response) => {
    response.writeHead(200, headers);
    if (first.length > 0) response.write(first);
  };
}

describe('downloadPackage over loopback HTTP', () => {
  it('downloads the package whole, with its SHA-512, reporting progress at most every 100 ms', async () => {
    const events: { at: number; progress: DownloadProgress }[] = [];
    // The server sends each of 4 pieces once the previous one was reported and 110 ms have passed since,
    // so that each piece gets a report of its own whatever the machine's load (the throttle allows one
    // report per 100 ms).
    const server = await serve({
      '/pkg.tgz': packageRoute(4, (index) =>
        waitFor(() => events.length > index && performance.now() - events.at(-1)!.at > 110, {
          what: `progress report ${index + 1}, and 110 ms after it`,
          intervalMs: 10,
        }),
      ),
    });
    const { destination } = await target();
    const result = await downloadPackage(server.url('/pkg.tgz'), destination, {
      allowLoopbackHttp: true,
      onProgress: (progress) => events.push({ at: performance.now(), progress }),
    });

    expect(result).toEqual({ path: destination, bytes: PACKAGE.length, sha512: PACKAGE_SHA512 });
    expect((await readFile(destination)).equals(PACKAGE)).toBe(true);
    expect(await readdir(join(destination, '..'))).toEqual(['package.tgz']);
    expect(events[0]!.progress).toEqual({ bytes: 0, total: PACKAGE.length, percent: 0, bytesPerSecond: 0 });
    expect(events.at(-1)!.progress).toMatchObject({
      bytes: PACKAGE.length,
      total: PACKAGE.length,
      percent: 100,
    });
    expect(events.length).toBeGreaterThanOrEqual(6); // start, one per piece, the final one
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.progress.bytes).toBeGreaterThanOrEqual(events[i - 1]!.progress.bytes);
      if (i < events.length - 1) expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(99);
    }
    expect(events.at(-2)!.progress.bytesPerSecond).toBeGreaterThan(0);
  });

  it('throttles progress on a fast download; works without Content-Length', async () => {
    const server = await serve({
      '/pkg.tgz': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked, no length
        for (let i = 0; i < 200; i++) response.write(PACKAGE.subarray(i * 1500, (i + 1) * 1500));
        response.end(PACKAGE.subarray(200 * 1500));
      },
    });
    const events: { at: number; progress: DownloadProgress }[] = [];
    const { destination } = await target();
    const result = await downloadPackage(server.url('/pkg.tgz'), destination, {
      allowLoopbackHttp: true,
      onProgress: (progress) => events.push({ at: performance.now(), progress }),
    });
    expect(result.sha512).toBe(PACKAGE_SHA512);
    expect(events.at(-1)!.progress).toEqual({ bytes: PACKAGE.length, bytesPerSecond: expect.any(Number) });
    for (let i = 1; i < events.length - 1; i++) {
      expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(99);
    }
  });

  it('follows redirects on loopback HTTP when allowed', async () => {
    const server = await serve({
      '/latest': (_request, response) => response.writeHead(302, { location: '/v2/pkg.tgz' }).end(),
      '/v2/pkg.tgz': packageRoute(),
    });
    const { destination } = await target();
    const result = await downloadPackage(server.url('/latest'), destination, { allowLoopbackHttp: true });
    expect(result.sha512).toBe(PACKAGE_SHA512);
    expect(server.requests).toEqual(['/latest', '/v2/pkg.tgz']);
  });

  it('stops a server that goes silent (idle timeout)', async () => {
    const server = await serve({
      '/slow.tgz': stallingRoute({ ...GZIP, 'content-length': '100000' }, Buffer.alloc(1000)),
      '/silent.tgz': () => undefined, // never even answers
    });
    const error = await expectFailure(server.url('/slow.tgz'), 'DOWNLOAD_TIMEOUT', { idleTimeoutMs: 200 });
    expect(error.message).toContain('sent nothing for 200 ms');
    await expectFailure(server.url('/silent.tgz'), 'DOWNLOAD_TIMEOUT', { idleTimeoutMs: 200 });
  });

  it('stops a download that trickles on past the overall timeout', async () => {
    const server = await serve({
      '/trickle.tgz': (_request, response) => {
        response.writeHead(200, GZIP);
        // not a wait: the server's pace (a byte every 20 ms keeps the idle timer from firing).
        const timer = setInterval(() => response.write(Buffer.alloc(1)), 20);
        response.on('close', () => clearInterval(timer));
      },
    });
    const error = await expectFailure(server.url('/trickle.tgz'), 'DOWNLOAD_TIMEOUT', {
      timeoutMs: 300,
      idleTimeoutMs: 10_000,
    });
    expect(error.message).toContain('longer than 300 ms');
  });

  it('reports a body shorter than its Content-Length, and a connection reset, as incomplete', async () => {
    const server = await serve({
      '/short.tgz': (_request, response) => {
        response.writeHead(200, { ...GZIP, 'content-length': String(PACKAGE.length) });
        response.write(PACKAGE.subarray(0, 1000), () => response.socket?.destroy());
      },
      '/reset.tgz': (_request, response) => {
        response.writeHead(200, GZIP); // chunked
        response.write(PACKAGE.subarray(0, 1000), () => response.socket?.resetAndDestroy());
      },
    });
    await expectFailure(server.url('/short.tgz'), 'DOWNLOAD_INCOMPLETE');
    await expectFailure(server.url('/reset.tgz'), 'DOWNLOAD_INCOMPLETE');
  });

  it('refuses an announced size over the cap before reading, and a stream that passes it', async () => {
    let refusedConnectionClosed = false;
    const server = await serve({
      '/big.tgz': (_request, response) => {
        // Headers only: the client must refuse from the announced size alone, and hang up.
        response.writeHead(200, { ...GZIP, 'content-length': String(PACKAGE.length) });
        response.flushHeaders();
        response.socket?.once('close', () => {
          refusedConnectionClosed = true;
        });
      },
      '/endless.tgz': (_request, response) => {
        response.writeHead(200, GZIP);
        response.on('error', () => undefined);
        const more = (): void => {
          while (!response.destroyed && response.write(PACKAGE)) {
            /* fill the socket */
          }
          if (!response.destroyed) response.once('drain', more);
        };
        more();
      },
    });
    const announced = await expectFailure(server.url('/big.tgz'), 'DOWNLOAD_TOO_LARGE', { maxBytes: 1000 });
    expect(announced.message).toContain(`announces ${PACKAGE.length} bytes`);
    await waitFor(() => refusedConnectionClosed, { what: 'the refused connection to close' });
    const streamed = await expectFailure(server.url('/endless.tgz'), 'DOWNLOAD_TOO_LARGE', {
      maxBytes: 1_000_000,
    });
    expect(streamed.message).toContain('sends more than the download cap of 1000000 bytes');
  });

  it('refuses a web page served instead of the package, and an error status', async () => {
    const server = await serve({
      '/login': (_request, response) =>
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<form>Sign in</form>'),
      '/gone.tgz': (_request, response) => response.writeHead(410, GZIP).end(),
    });
    const page = await expectFailure(server.url('/login'), 'DOWNLOAD_FAILED');
    expect(page.message).toContain('text/html');
    expect(page.message).toContain('login');
    const gone = await expectFailure(server.url('/gone.tgz'), 'DOWNLOAD_FAILED');
    expect(gone.message).toContain('answered 410');
    const missing = await expectFailure(server.url('/nothing-here.tgz'), 'DOWNLOAD_FAILED');
    expect(missing.message).toContain('404');
  });

  it('accepts other media types when asked (a signature file), and only those', async () => {
    const server = await serve({
      '/pkg.tgz.sig': (_request, response) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"signature":"…"}'),
    });
    const { destination } = await target();
    const result = await downloadPackage(server.url('/pkg.tgz.sig'), destination, {
      allowLoopbackHttp: true,
      acceptedMediaTypes: ['application/json', 'text/plain'],
    });
    expect(await readFile(result.path, 'utf8')).toBe('{"signature":"…"}');
    const refused = await expectFailure(server.url('/pkg.tgz.sig'), 'DOWNLOAD_FAILED');
    expect(refused.message).toContain('answered with application/json, not a package archive');
    const narrow = await expectFailure(server.url('/pkg.tgz.sig'), 'DOWNLOAD_FAILED', {
      acceptedMediaTypes: ['text/plain'],
    });
    expect(narrow.message).toContain('not text/plain');
  });

  it('refuses redirects to plain HTTP elsewhere and to file: URLs, and stops a redirect loop', async () => {
    const server = await serve({
      '/to-http': (_request, response) =>
        response.writeHead(301, { location: 'http://packages.example.com/pkg.tgz' }).end(),
      '/to-file': (_request, response) => response.writeHead(302, { location: 'file:///etc/passwd' }).end(),
      '/loop-a': (_request, response) => response.writeHead(307, { location: '/loop-b' }).end(),
      '/loop-b': (_request, response) => response.writeHead(308, { location: '/loop-a' }).end(),
    });
    const toHttp = await expectFailure(server.url('/to-http'), 'DOWNLOAD_REFUSED');
    expect(toHttp.message).toContain('http://packages.example.com/pkg.tgz');
    const toFile = await expectFailure(server.url('/to-file'), 'DOWNLOAD_REFUSED');
    expect(toFile.message).toContain('file:///etc/passwd');
    const loop = await expectFailure(server.url('/loop-a'), 'DOWNLOAD_FAILED', { maxRedirects: 3 });
    expect(loop.message).toContain('redirected more than 3 times');
    expect(server.requests.filter((path) => path.startsWith('/loop'))).toHaveLength(4);
  });

  it('refuses plain HTTP to another host, and to this one unless allowed, without connecting', async () => {
    // A server on every interface: if the refusal connected anywhere, it would count the connection.
    const server = await startPackageServer({ '/pkg.tgz': packageRoute() }, { host: '0.0.0.0' });
    servers.push(server);
    const address = Object.values(networkInterfaces())
      .flat()
      .find((info) => info !== undefined && info.family === 'IPv4' && !info.internal)?.address;
    if (address !== undefined) {
      const refused = await expectFailure(`http://${address}:${server.port}/pkg.tgz`, 'DOWNLOAD_REFUSED');
      expect(refused.message).toContain('HTTPS only');
    }
    await expectFailure('http://packages.example.com/pkg.tgz', 'DOWNLOAD_REFUSED');
    const notAllowed = await expectFailure(`http://127.0.0.1:${server.port}/pkg.tgz`, 'DOWNLOAD_REFUSED', {
      allowLoopbackHttp: false,
    });
    expect(notAllowed.message).toContain('allowLoopbackHttp');
    await expectFailure('file:///etc/passwd', 'DOWNLOAD_REFUSED');
    await expectFailure('ftp://example.com/pkg.tgz', 'DOWNLOAD_REFUSED');
    await expectFailure('not a url', 'DOWNLOAD_REFUSED');
    expect(server.connections).toBe(0);
  });

  it('is cancelled by its signal, before and during the download', async () => {
    const server = await serve({
      '/stall.tgz': stallingRoute({ ...GZIP, 'content-length': '100000' }, Buffer.alloc(1000)),
    });
    await expectFailure(server.url('/stall.tgz'), 'ABORTED', { signal: AbortSignal.abort() });
    const controller = new AbortController();
    const { folder, destination } = await target();
    const download = downloadPackage(server.url('/stall.tgz'), destination, {
      allowLoopbackHttp: true,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(download).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await readdir(folder)).toEqual([]);
  });

  it('checks its options', async () => {
    const { destination } = await target();
    for (const options of [
      { maxBytes: 0 },
      { timeoutMs: -1 },
      { idleTimeoutMs: 2 ** 31 },
      { maxRedirects: 1.5 },
      { acceptedMediaTypes: [] },
      { acceptedMediaTypes: ['json'] },
    ]) {
      await expect(downloadPackage('https://example.com/p.tgz', destination, options)).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
      });
    }
  });
});

/** A self-signed certificate for 127.0.0.1 and localhost, made by the openssl command; undefined without it. */
async function selfSignedCertificate(folder: string): Promise<{ key: string; cert: string } | undefined> {
  const keyFile = join(folder, 'key.pem');
  const certFile = join(folder, 'cert.pem');
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
  } catch {
    return undefined;
  }
  return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
}

describe('downloadPackage over HTTPS (a self-signed certificate made by openssl)', () => {
  let tls: { key: string; cert: string } | undefined;
  beforeAll(async () => {
    tls = await selfSignedCertificate(work);
  });

  it('downloads when the certificate is trusted (ca), follows HTTPS redirects, refuses a downgrade', async (context) => {
    if (tls === undefined) return context.skip('the openssl command is not available');
    const plain = await serve({ '/pkg.tgz': packageRoute() });
    const server = await serve(
      {
        '/pkg.tgz': packageRoute(),
        '/latest': (_request, response) => response.writeHead(302, { location: '/pkg.tgz' }).end(),
        '/downgrade': (_request, response) =>
          response.writeHead(302, { location: plain.url('/pkg.tgz') }).end(),
      },
      tls,
    );
    const { destination } = await target();
    const result = await downloadPackage(server.url('/latest'), destination, { ca: tls.cert });
    expect(result.sha512).toBe(PACKAGE_SHA512);
    expect(server.requests).toEqual(['/latest', '/pkg.tgz']);

    const downgrade = await expectFailure(server.url('/downgrade'), 'DOWNLOAD_REFUSED', { ca: tls.cert });
    expect(downgrade.message).toContain('redirects are followed only to https://');
    expect(plain.connections).toBe(0);
  });

  it('refuses a server whose certificate is not trusted', async (context) => {
    if (tls === undefined) return context.skip('the openssl command is not available');
    const server = await serve({ '/pkg.tgz': packageRoute() }, tls);
    const error = await expectFailure(server.url('/pkg.tgz'), 'DOWNLOAD_REFUSED');
    expect(error.message).toContain('certificate is not trusted');
  });
});
