// The command palette in a real Chromium against a real host: Ctrl+Shift+P lists the commands extensions
// contribute, a few letters find one, Enter runs it in its extension's process and shows what it returned —
// or its error, code first.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, type PageProblems } from './support/browser.js';
import { screenshot } from './support/page-actions.js';
import { UiHost } from './support/ui-host.js';

let browser: Browser;
let host: UiHost;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  [browser, host] = await Promise.all([
    launchBrowser(),
    UiHost.start([
      {
        name: 'alpha',
        commands: [
          { id: 'probe.add', title: 'Probe: Add two numbers', arguments: 'a, b: the numbers' },
          { id: 'probe.fail', title: 'Probe: Always fail' },
        ],
      },
    ]),
  ]);
  ({ context, page, problems } = await openPage(browser));
  await page.goto(host.url);
  await page.locator('tr[data-extension="alpha"]').waitFor();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.dispose();
});

const palette = () => page.getByRole('dialog', { name: 'Command palette' });
const result = () => palette().getByRole('status', { name: 'Command result' });

describe('Command palette (real browser, real host)', () => {
  it('opens with Ctrl+Shift+P, finds a command by a few letters, runs it with arguments and shows the result', async () => {
    await page.keyboard.press('Control+Shift+P');
    await palette().getByRole('combobox', { name: 'Command' }).fill('pad');
    const options = palette().getByRole('option');
    await expect.poll(() => options.first().textContent()).toMatch(/Probe: Add two numbers/);
    await page.keyboard.press('Enter');
    await palette().getByRole('textbox', { name: 'Arguments' }).fill('20, 22');
    await page.keyboard.press('Enter');
    // The extension was not running: the command started it (on demand), then answered.
    await expect
      .poll(() => result().textContent(), { timeout: 30_000 })
      .toMatch(/Probe: Add two numbers\s*42/);
    expect(host.manager.get('alpha').state).toBe('running');
    await screenshot(page, 'command-palette');
  });

  it('shows a failing command’s error with its code', async () => {
    await palette().getByRole('combobox', { name: 'Command' }).fill('fail');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => result().textContent(), { timeout: 30_000 })
      .toMatch(/Failed — INVALID_ARGUMENT: probe\.fail always fails/);
    await page.keyboard.press('Escape');
    expect(await palette().count()).toBe(0);
  });

  it('logged no page error, console error or CSP violation', () => {
    expect(problems.errors).toEqual([]);
  });
});
