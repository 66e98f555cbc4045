// manager.install of a URL (issue 12): a loopback HTTP server (test-fixtures/package-server.ts) serves real
// packages (npm pack) and their signatures (signPackage), and the manager allows plain HTTP to this machine
// for development (`download: { allowLoopbackHttp: true }`). A URL install downloads the package and
// `<url>.sig`, reports download progress, then installs as a file does; each refusal leaves the install
// folder as it was.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionHostManager } from '../manager/extension-host-manager.js';
import { probe } from '../manager/test-fixtures/manager-contract.js';
import { ManagerTestbed } from '../manager/test-fixtures/manager-testbed.js';
import type { InstallProgress } from './extension-installer.js';
import { generateSigningKeys } from './generate-signing-keys.js';
import { makeFixturePackage } from './test-fixtures/fixture-packages.js';
import { startPackageServer, type PackageServer, type Route } from './test-fixtures/package-server.js';
import { TrustStore } from './trust-store.js';

let bed: ManagerTestbed;
let server: PackageServer;
let manager: ExtensionHostManager;
let kv1Size: number;
const installFolder = (): string => join(bed.data, 'extensions');

/** Serves `file` whole, with its length, as `contentType`. */
function fileRoute(file: string, contentType: string): Route {
  return (_request, response) => {
    void readFile(file).then((bytes) => {
      response.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.length) });
      response.end(bytes);
    });
  };
}

/** Announces all of `file` but sends half of it, then drops the connection. */
function truncatedRoute(file: string): Route {
  return (_request, response) => {
    void readFile(file).then((bytes) => {
      response.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(bytes.length) });
      response.write(bytes.subarray(0, bytes.length >> 1), () => response.socket?.destroy());
    });
  };
}

beforeAll(async () => {
  bed = await ManagerTestbed.create();
  const work = join(bed.root, 'work');
  const bundle = join(bed.root, 'manager-plugin.mjs');
  const keys = await generateSigningKeys({ outDir: join(work, 'keys'), name: 'acme' });
  await new TrustStore(bed.data).add(await readFile(keys.publicKeyFile, 'utf8'), { publisher: 'Acme' });
  const [kv1, kv2, loose] = await Promise.all([
    makeFixturePackage(work, bundle, 'kv', '1.0.0', { keys }),
    makeFixturePackage(work, bundle, 'kv', '2.0.0', { keys }),
    makeFixturePackage(work, bundle, 'loose', '1.0.0'),
  ]);
  kv1Size = (await stat(kv1)).size;
  server = await startPackageServer({
    '/kv-1.0.0.tgz': fileRoute(kv1, 'application/gzip'),
    '/kv-1.0.0.tgz.sig': fileRoute(`${kv1}.sig`, 'application/json'),
    // Where a release host serves files it has no type for (S3, GitHub releases): octet-stream, .sig too.
    '/kv-2.0.0.tgz': fileRoute(kv2, 'application/octet-stream'),
    '/kv-2.0.0.tgz.sig': fileRoute(`${kv2}.sig`, 'application/octet-stream'),
    // No /loose-1.0.0.tgz.sig: the server answers 404.
    '/loose-1.0.0.tgz': fileRoute(loose, 'application/gzip'),
    '/truncated/kv-2.0.0.tgz': truncatedRoute(kv2),
    '/truncated/kv-2.0.0.tgz.sig': fileRoute(`${kv2}.sig`, 'application/json'),
  });
  manager = await bed.manager({ extensionFolders: [], download: { allowLoopbackHttp: true } });
});

afterAll(async () => {
  await server.close();
  await bed.dispose();
});

/** Expects `install` to fail with `code` and to leave the install folder exactly as it was. */
async function expectRefused(install: () => Promise<unknown>, code: string): Promise<Error> {
  const before = (await readdir(installFolder())).sort();
  const error = await install().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(Error);
  expect((error as { code?: string }).code, (error as Error).message).toBe(code);
  expect((await readdir(installFolder())).sort()).toEqual(before);
  return error as Error;
}

describe('installing from a URL', () => {
  it('installs a signed package from a loopback URL, with download progress, and runs it', async () => {
    const events: InstallProgress[] = [];
    const result = await manager.install(server.url('/kv-1.0.0.tgz'), {
      onProgress: (progress) => events.push(progress),
    });
    expect(result).toMatchObject({ id: 'kv', version: '1.0.0', signed: true, publisher: 'Acme' });
    expect(server.requests).toEqual(['/kv-1.0.0.tgz', '/kv-1.0.0.tgz.sig']);

    const downloads = events.filter((event) => event.phase === 'download');
    expect(downloads.length).toBeGreaterThanOrEqual(2);
    expect(downloads[0]).toMatchObject({ phase: 'download', bytes: 0, total: kv1Size });
    expect(downloads.at(-1)).toMatchObject({ phase: 'download', bytes: kv1Size, total: kv1Size });
    expect(events.slice(0, downloads.length)).toEqual(downloads);
    expect(events.slice(downloads.length).map((event) => event.phase)).toEqual([
      'verify',
      'extract',
      'activate',
      'trial-start',
      'done',
    ]);

    expect(await manager.service('kv', probe).echo('downloaded')).toBe('downloaded');
    expect(await readdir(installFolder())).toEqual(['kv']);
  });

  it('accepts a package and signature served as application/octet-stream (an upgrade)', async () => {
    const result = await manager.install(server.url('/kv-2.0.0.tgz'));
    expect(result).toMatchObject({ version: '2.0.0', previousVersion: '1.0.0', signed: true });
    expect(manager.get('kv')).toMatchObject({ version: '2.0.0', state: 'running' });
    expect((await readdir(join(installFolder(), 'kv'))).sort()).toEqual(['2.0.0', 'active.json']);
  });

  it('refuses a package whose .sig is not on the server (NOT_SIGNED); installs it when allowed', async () => {
    const url = server.url('/loose-1.0.0.tgz');
    const error = await expectRefused(() => manager.install(url), 'NOT_SIGNED');
    expect(server.requests.slice(-2)).toEqual(['/loose-1.0.0.tgz', '/loose-1.0.0.tgz.sig']);
    // Named as the user gave it, not as the copy in the (removed) staging folder.
    expect(error.message).toContain(`The package ${url} is not signed (there is no signature ${url}.sig)`);
    expect(await manager.install(url, { allowUnsigned: true })).toMatchObject({ id: 'loose', signed: false });
    expect(manager.get('loose').install).toMatchObject({ signed: false });
  });

  it('refuses plain HTTP to another host before connecting (DOWNLOAD_REFUSED)', async () => {
    const connections = server.connections;
    for (const url of [
      `http://192.0.2.7:${server.port}/kv-1.0.0.tgz`,
      `http://example.com:${server.port}/kv-1.0.0.tgz`,
    ]) {
      const error = await expectRefused(() => manager.install(url), 'DOWNLOAD_REFUSED');
      expect(error.message).toMatch(/HTTPS/);
    }
    expect(server.connections).toBe(connections);
  });

  it('refuses a download cut short (DOWNLOAD_INCOMPLETE)', async () => {
    const error = await expectRefused(
      () => manager.install(server.url('/truncated/kv-2.0.0.tgz'), { force: true }),
      'DOWNLOAD_INCOMPLETE',
    );
    expect(error.message).toMatch(/Try again/);
    expect(manager.get('kv').version).toBe('2.0.0');
  });

  it('refuses loopback HTTP when the app does not allow it (DOWNLOAD_REFUSED)', async () => {
    const strict = await bed.manager({ extensionFolders: [], dataFolder: join(bed.root, 'strict-data') });
    const error = await strict.install(server.url('/kv-1.0.0.tgz')).then(
      () => undefined,
      (caught: unknown) => caught as { code?: string; message: string },
    );
    expect(error?.code).toBe('DOWNLOAD_REFUSED');
    expect(error?.message).toMatch(/allowLoopbackHttp/);
    expect(await readdir(join(bed.root, 'strict-data', 'extensions'))).toEqual([]);
  });
});
