// Opening the UI: only with a display and an opener, and never with the token on a command line.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBrowserOpener, openBrowser, redirectPage, removeBrowserRedirect } from './open-browser.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tether-open-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

const url = 'http://127.0.0.1:4000/?token=abc_DEF-123';

describe('findBrowserOpener', () => {
  it('uses open on macOS and explorer.exe on Windows', () => {
    expect(findBrowserOpener({}, 'darwin')).toEqual({ command: 'open', args: [] });
    expect(findBrowserOpener({}, 'win32')).toEqual({ command: 'explorer.exe', args: [] });
  });

  it('elsewhere needs a display, then xdg-open on PATH', () => {
    expect(findBrowserOpener({ PATH: '/usr/bin:/bin' }, 'linux')).toBe('no-display');
    expect(findBrowserOpener({ DISPLAY: ':0', PATH: folder }, 'linux')).toBe('no-opener');
    expect(findBrowserOpener({ WAYLAND_DISPLAY: 'wayland-0', PATH: '' }, 'linux')).toBe('no-opener');
  });
});

describe('openBrowser', () => {
  it('hands the opener a private redirect page, not the URL', async () => {
    const result = await openBrowser(url, folder, { command: process.execPath, args: ['-e', ''] });
    expect(result).toEqual({ opened: true, redirectFile: join(folder, 'open-ui.html') });
    expect(await readFile(result.redirectFile!, 'utf8')).toBe(redirectPage(url));
    expect((await stat(result.redirectFile!)).mode & 0o777).toBe(0o600);
    await removeBrowserRedirect(result);
    await expect(stat(result.redirectFile!)).rejects.toThrow();
  });

  it('reports why it did not open, and never throws', async () => {
    expect(await openBrowser(url, folder, 'no-display')).toEqual({ opened: false, reason: 'no-display' });
    const missing = await openBrowser(url, folder, { command: join(folder, 'no-such-opener'), args: [] });
    expect(missing).toMatchObject({ opened: false, reason: 'failed' });
    await removeBrowserRedirect(missing);
  });
});

describe('redirectPage', () => {
  it('refreshes to the URL and links to it, escaped for an attribute', () => {
    const page = redirectPage('http://127.0.0.1:1/?a=1&token="x"<');
    expect(page).toContain('content="0;url=http://127.0.0.1:1/?a=1&amp;token=&quot;x&quot;&lt;"');
    expect(page).toContain('<meta name="referrer" content="no-referrer">');
    expect(page).not.toContain('<script');
  });
});
