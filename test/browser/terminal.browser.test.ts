// The Terminal panel in a real Chromium against a real host: an extension running in a pseudo-terminal
// (node-pty), its output from before the panel opened (the backlog), keys typed echoed back by the terminal,
// and the panel's size passed on to the extension's terminal. Also under the strictest CSP
// (`default-src 'self'`, no inline styles), where xterm.js's own <style> elements are refused.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managerHandshake } from '../../extension-host/src/manager/test-fixtures/manager-contract.js';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';
import { launchBrowser, openPage, type PageProblems } from './support/browser.js';
import { screenshot } from './support/page-actions.js';
import { UiHost } from './support/ui-host.js';

let browser: Browser;
let host: UiHost;

beforeAll(async () => {
  [browser, host] = await Promise.all([
    launchBrowser(),
    UiHost.start([
      {
        name: 'tty-fixture',
        tether: {
          entry: 'plugin.mjs',
          runner: 'pty',
          displayName: 'TTY fixture',
          services: { probe: [1] },
          host: '>=0.1.0',
          handshake: managerHandshake,
        },
      },
    ]),
  ]);
  await host.manager.start('tty-fixture');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.dispose();
});

/** The terminal's visible text (xterm's DOM renderer: one element per row). */
const screenText = (page: Page): Promise<string> => page.locator('.terminal-screen .xterm-rows').innerText();

async function openTerminal(
  strictCsp: boolean,
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const opened = await openPage(browser);
  if (strictCsp) {
    // Serve every response with the strictest policy: no inline styles either.
    await opened.page.route('**/*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': "default-src 'self'" },
      });
    });
  }
  await opened.page.goto(`${host.url}#terminal`);
  return opened;
}

describe('Terminal panel (real browser, real host, node-pty)', () => {
  it('shows what the extension printed before the panel opened, echoes what is typed, and passes its size on', async () => {
    const { context, page, problems } = await openTerminal(false);
    // The fixture wrote "starting" to its terminal (stderr) before it served: the backlog replays it.
    await expect.poll(() => screenText(page), { timeout: 30_000 }).toContain('starting');
    await page.getByRole('textbox', { name: 'Terminal of TTY fixture: input' }).focus();
    await page.keyboard.type('hello from the panel');
    // The pty's line discipline echoes what is typed (canonical mode), through the host, back to xterm.
    await expect.poll(() => screenText(page), { timeout: 30_000 }).toContain('hello from the panel');
    // The panel fitted the terminal to its size and told the extension's terminal.
    const rows = await page.locator('.terminal-screen .xterm-rows > div').count();
    await waitFor(() => host.manager.terminal('tty-fixture').size.rows === rows, {
      what: () => `the pty to have ${rows} rows (has ${host.manager.terminal('tty-fixture').size.rows})`,
    });
    expect(host.manager.terminal('tty-fixture').size.cols).toBeGreaterThan(80);
    await screenshot(page, 'terminal');
    // The palette's shortcut opens the palette from the terminal, and does not reach the program (as Ctrl+P).
    await page.keyboard.press('Control+Shift+P');
    await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await screenText(page)).not.toContain('^P');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('renders under a CSP that refuses inline styles, with nothing refused (xterm’s rules adopted as CSSOM)', async () => {
    const { context, page, problems } = await openTerminal(true);
    await expect.poll(() => screenText(page), { timeout: 30_000 }).toContain('hello from the panel');
    // The theme rules xterm writes for its <style> elements are in effect: its foreground colour (#d4d4d4,
    // terminal-view.tsx), not the page's text colour.
    const color = await page
      .locator('.terminal-screen .xterm-rows')
      .evaluate((rows) => getComputedStyle(rows).color);
    expect(color).toBe('rgb(212, 212, 212)');
    // And nothing was refused (each refusal is a console error).
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
