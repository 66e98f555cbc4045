// The page's connection to the host: when the host goes away the page says so ("Disconnected —
// reconnecting…") and keeps trying; when the host is back it reconnects by itself and shows live data again.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, type PageProblems } from './support/browser.js';
import { UiHost } from './support/ui-host.js';

let browser: Browser;
let host: UiHost;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  [browser, host] = await Promise.all([launchBrowser(), UiHost.start([{ name: 'alpha' }])]);
  ({ context, page, problems } = await openPage(browser));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.dispose();
});

const badge = () => page.locator('tr[data-extension="alpha"] .badge');

describe('Connection (real browser, real host)', () => {
  it('shows a reconnecting banner while the host is away, then reconnects and shows live state again', async () => {
    await page.goto(host.url);
    await expect.poll(() => badge().textContent()).toBe('stopped');
    expect(await page.getByRole('alert').count()).toBe(0);

    const closed = await host.closeServer();
    const banner = page.getByRole('alert').filter({ hasText: 'Disconnected — reconnecting…' });
    await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(1);
    // What was shown stays (it may be stale); actions wait for the connection.
    expect(await badge().textContent()).toBe('stopped');
    expect(await page.getByRole('button', { name: 'Start alpha' }).isDisabled()).toBe(true);

    await closed.reopen();
    await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(0);
    // Live again: a state change made on the host shows without a reload.
    await host.manager.start('alpha');
    await expect.poll(() => badge().textContent(), { timeout: 30_000 }).toBe('running');
  });

  it('logged nothing but the refused reconnection attempts', () => {
    // Chromium logs each WebSocket that cannot connect; the page itself logs no error.
    expect(problems.errors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
  });
});
