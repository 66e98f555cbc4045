// The built UI bundle fits the web host's CSP (`default-src 'self'`) and a browser: index.html has no inline
// script or style, the CSS inlines no data: URL, and no Node module is imported or evaluated from strings.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureUiBundle } from './support/ui-bundle.js';

let dir: string;
let assets: string[];
beforeAll(async () => {
  dir = await ensureUiBundle();
  assets = await readdir(join(dir, 'assets'));
}, 120_000);

const read = (name: string): Promise<string> => readFile(join(dir, 'assets', name), 'utf8');

describe('the UI bundle (app/renderer/dist)', () => {
  it.each(['index.html', 'panel.html', 'devtools.html'])(
    'has a %s whose scripts and styles are all files of its own, by relative URL',
    async (name) => {
      const html = await readFile(join(dir, name), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
        expect(body!.trim()).toBe('');
      }
      expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
      for (const [, href] of html.matchAll(/\bhref="([^"]+)"/g)) expect(href).toMatch(/^\.\/assets\//);
    },
  );

  it('is a Manifest V3 DevTools extension too, whose policy allows no inline code', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      manifest_version: 3,
      devtools_page: 'devtools.html',
      key: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      content_security_policy: { extension_pages: expect.stringContaining("default-src 'self'") },
    });
    const policy = (manifest['content_security_policy'] as { extension_pages: string }).extension_pages;
    // No 'unsafe-…', no bare wildcard, no web origin: only its own files and WebSockets to this machine.
    expect(policy).not.toMatch(/unsafe|\s\*|https?:/);
    expect(policy).toContain("connect-src 'self' ws://127.0.0.1:* ws://localhost:*");
  });

  it('imports no Node module, evaluates no string, and inlines no data: URL', async () => {
    const scripts = assets.filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const name of scripts) {
      const code = await read(name);
      expect(code, name).not.toMatch(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']node:/);
      expect(code, name).not.toMatch(/\beval\s*\(|\bnew\s+Function\s*\(/);
    }
    for (const name of assets.filter((n) => n.endsWith('.css')))
      expect(await read(name), name).not.toMatch(/url\(\s*["']?data:/);
  });
});
