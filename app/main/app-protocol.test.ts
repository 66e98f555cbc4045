// app://tether/: the UI bundle's files with the web host's headers; nothing outside the bundle, however asked.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProtocolFiles } from './app-protocol.js';

let root: string;
let files: AppProtocolFiles;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-app-protocol-'));
  const bundle = path.join(root, 'bundle');
  await mkdir(path.join(bundle, 'assets'), { recursive: true });
  await writeFile(path.join(bundle, 'index.html'), '<!doctype html><title>Tether</title>');
  await writeFile(path.join(bundle, 'assets', 'index-B2xkF0aA.js'), 'export {};');
  await writeFile(path.join(bundle, '.env'), 'SECRET=1');
  await writeFile(path.join(root, 'secret.txt'), 'outside the bundle');
  await symlink(path.join(root, 'secret.txt'), path.join(bundle, 'link.txt'));
  files = await AppProtocolFiles.open(bundle);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('AppProtocolFiles', () => {
  it('serves index.html for app://tether/ with the CSP and the other security headers', async () => {
    for (const url of ['app://tether/', 'app://tether/index.html', 'app://tether']) {
      const answer = await files.answer(url, 'GET');
      expect(answer.status, url).toBe(200);
      expect(answer.file, url).toMatch(/index\.html$/);
    }
    const { headers } = await files.answer('app://tether/', 'GET');
    expect(headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(headers['Cache-Control']).toBe('no-store');
    const csp = headers['Content-Security-Policy']!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    // The page talks over a MessagePort: no WebSocket source, nothing beyond 'self'.
    expect(csp).not.toMatch(/ws:|unsafe|\*/);
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    });
  });

  it('serves a hashed asset as JavaScript, cached for good; HEAD too', async () => {
    const answer = await files.answer('app://tether/assets/index-B2xkF0aA.js?v=1', 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(answer.headers['Cache-Control']).toContain('immutable');
  });

  it('refuses traversal out of the bundle in every encoding, dot files and links out', async () => {
    for (const url of [
      'app://tether/../secret.txt',
      'app://tether/%2e%2e/secret.txt',
      'app://tether/assets/..%2f..%2fsecret.txt',
      'app://tether/assets/%2E%2E%5C..%5Csecret.txt',
      'app://tether/.env',
      'app://tether/link.txt',
      'app://tether/missing.js',
      'app://tether/assets',
    ]) {
      const answer = await files.answer(url, 'GET');
      expect(answer.status, url).toBe(404);
      expect(answer.file, url).toBeUndefined();
      expect(answer.headers['Content-Security-Policy'], url).toContain("default-src 'self'");
    }
    expect((await files.answer('app://tether/%E0%A4%A', 'GET')).status).toBe(400);
    expect((await files.answer('app://tether/a%00b', 'GET')).status).toBe(400);
  });

  it('answers only its own host and only GET and HEAD', async () => {
    expect((await files.answer('app://other/index.html', 'GET')).status).toBe(404);
    expect((await files.answer('https://tether/index.html', 'GET')).status).toBe(404);
    expect((await files.answer('app://tether/index.html', 'POST')).status).toBe(405);
    expect((await files.answer('not a url', 'GET')).status).toBe(400);
  });
});
