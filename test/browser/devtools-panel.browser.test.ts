// The app's Chrome DevTools panel in a real Chromium against a real host (web host, manager, an extension
// process), connected the way the Electron app connects it: a copy of the built bundle prepared with its
// connection.json (prepareDevtoolsExtension), a web host that accepts the panel's origin (extraOrigins).
// - The panel's page at an origin of its own, under the extension's CSP: runs with any Chromium, the
//   chrome-headless-shell of @sparticuz/chromium included.
// - The unpacked extension itself (chrome-extension://<id>/panel.html), and its "Tether" panel in real
//   DevTools: these need a Chromium that loads extensions (TETHER_CHROMIUM=/usr/bin/chromium); with
//   chrome-headless-shell they are skipped, saying why.
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  devtoolsExtensionOrigin,
  prepareDevtoolsExtension,
  type PreparedDevtoolsExtension,
} from '../../app/host/devtools-extension.js';
import { contentTypeOf } from '../../extension-host/src/web/content-types.js';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';
import {
  collectProblems,
  extensionsUnsupported,
  launchBrowser,
  launchWithExtension,
  type ExtensionBrowser,
  type PageProblems,
} from './support/browser.js';
import { screenshot } from './support/page-actions.js';
import { ensureUiBundle } from './support/ui-bundle.js';
import { UiHost } from './support/ui-host.js';

/** Where the panel's page is served from in the first part: an origin of its own, never resolved. */
const PANEL_SITE = 'http://tether-panel.test';

let host: UiHost;
let extension: PreparedDevtoolsExtension;

beforeAll(async () => {
  const bundle = await ensureUiBundle();
  const extensionOrigin = await devtoolsExtensionOrigin(bundle);
  host = await UiHost.start([{ name: 'alpha' }], {}, { extraOrigins: [extensionOrigin, PANEL_SITE] });
  await host.manager.start('alpha');
  extension = await prepareDevtoolsExtension({
    bundle,
    url: host.server.webSocketUrl,
    token: host.server.token,
  });
  expect(extension.origin).toBe(extensionOrigin);
}, 120_000);

afterAll(async () => {
  await host?.dispose();
  await extension?.dispose();
});

const logRows = (page: Page) => page.getByRole('list', { name: 'Log records' }).getByRole('listitem');

/**
 * The panel shows alpha's records and, live, those of its next process: a restart starts a new process,
 * which logs `ready` again while the panel is open.
 */
async function seesLiveLogs(page: Page): Promise<void> {
  const ready = logRows(page).filter({ hasText: 'ready' });
  await expect.poll(() => ready.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  const before = await ready.count();
  await host.manager.restart('alpha');
  await expect.poll(() => ready.count(), { timeout: 30_000 }).toBeGreaterThan(before);
}

describe('the DevTools panel’s page, under the extension’s policy (any Chromium)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    browser = await launchBrowser();
    // A DevTools panel's size: wide and low.
    context = await browser.newContext({ viewport: { width: 1200, height: 560 } });
    context.setDefaultTimeout(30_000);
    const manifest = JSON.parse(await readFile(join(extension.folder, 'manifest.json'), 'utf8')) as {
      content_security_policy: { extension_pages: string };
    };
    const policy = manifest.content_security_policy.extension_pages;
    // The prepared folder as the extension's origin would serve it, with the extension's CSP.
    await context.route(`${PANEL_SITE}/**`, async (route) => {
      const file = resolve(
        extension.folder,
        `.${decodeURIComponent(new URL(route.request().url()).pathname)}`,
      );
      const inside = !relative(extension.folder, file).startsWith(`..${sep}`);
      const body = inside ? await readFile(file).catch(() => undefined) : undefined;
      if (body === undefined) return route.fulfill({ status: 404, body: 'Not found.' });
      return route.fulfill({
        status: 200,
        body,
        headers: { 'Content-Type': contentTypeOf(file), 'Content-Security-Policy': policy },
      });
    });
    page = await context.newPage();
    problems = collectProblems(page);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('reads connection.json, connects, and shows an extension’s records live', async () => {
    await page.goto(`${PANEL_SITE}/panel.html`);
    // The panel flavour: the devtools views, Logs first; no Terminal.
    const tabs = page.getByRole('tab');
    await expect.poll(() => tabs.allTextContents()).toEqual(['Logs', 'RPC', 'Extensions']);
    expect(await page.getByRole('tab', { name: 'Logs' }).getAttribute('aria-selected')).toBe('true');
    await seesLiveLogs(page);
    // What an extension's logger sends besides: levels, scopes, fields (the picture in docs/app.md).
    const time = Date.now();
    const append = (record: Omit<Parameters<typeof host.manager.logStore.append>[1], 'time'>): void =>
      void host.manager.logStore.append('alpha', { time, ...record });
    append({ level: 'debug', scope: 'cache', message: 'cache warmed', fields: { entries: 1284, ms: 41.5 } });
    append({ level: 'info', scope: 'http', message: 'GET /items/42 200', fields: { ms: 3.2, bytes: 912 } });
    append({ level: 'warn', scope: 'db', message: 'slow query (412 ms)', fields: { table: 'items' } });
    await expect.poll(() => logRows(page).filter({ hasText: 'slow query' }).count()).toBe(1);
    await screenshot(page, 'devtools-panel');
  });

  it('drives the manager as the page does: the Extensions view shows alpha running', async () => {
    await page.getByRole('tab', { name: 'Extensions' }).click();
    await expect
      .poll(() => page.locator('tr[data-extension="alpha"] .badge').textContent(), { timeout: 30_000 })
      .toBe('running');
  });

  it('broke no rule of the extension’s CSP, and logged no error', () => {
    expect(problems.errors).toEqual([]);
  });
});

describe('the DevTools extension, loaded by Chromium (a Chromium that loads extensions)', () => {
  let chromium: ExtensionBrowser | undefined;
  let unsupported: string | undefined;

  beforeAll(async () => {
    chromium = await launchWithExtension(extension.folder);
    unsupported = await extensionsUnsupported(chromium.context);
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
  });

  it('shows live logs on its panel page, chrome-extension://<id>/panel.html', async (test) => {
    if (unsupported !== undefined) return test.skip(unsupported);
    const page = await chromium!.context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${extension.origin}/panel.html`);
    await seesLiveLogs(page);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('is registered as the "Tether" panel of real DevTools', async (test) => {
    if (unsupported !== undefined) return test.skip(unsupported);
    // DevTools opens with every tab, and loads the extension's devtools_page in each DevTools window.
    const withDevtools = await launchWithExtension(extension.folder, ['--auto-open-devtools-for-tabs']);
    try {
      const page = await withDevtools.context.newPage();
      await page.goto(host.url);
      const cdp = await withDevtools.context.browser()!.newBrowserCDPSession();
      const devtoolsPage = `${extension.origin}/devtools.html`;
      let seen: string[] = [];
      const target = await waitFor(
        async () => {
          const { targetInfos } = await cdp.send('Target.getTargets');
          seen = targetInfos.map((info) => `${info.type} ${info.url}`);
          return targetInfos.find((info) => info.url === devtoolsPage);
        },
        {
          what: () => `DevTools to load ${devtoolsPage} (targets seen: ${seen.join(', ')})`,
          timeoutMs: 60_000,
          intervalMs: 100,
        },
      );
      // chrome.devtools.panels.create('Tether', …) called back: DevTools registered the panel.
      const evaluate = await attach(cdp, target.targetId);
      await expect
        .poll(() => evaluate('document.documentElement.dataset.tetherPanel'), { timeout: 30_000 })
        .toBe('created');
    } finally {
      await withDevtools.close();
    }
  }, 180_000);
});

/**
 * Attaches to a target the browser session sees (not a page of Playwright's: a frame inside DevTools) and
 * returns a way to evaluate an expression in it.
 */
async function attach(cdp: CDPSession, targetId: string): Promise<(expression: string) => Promise<unknown>> {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
  const replies = new Map<number, (message: { result?: { result?: { value?: unknown } } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: { result?: { value?: unknown } } };
    if (message.id !== undefined) replies.get(message.id)?.(message);
  });
  let lastId = 0;
  return async (expression) => {
    const id = ++lastId;
    const reply = new Promise<{ result?: { result?: { value?: unknown } } }>((settle) =>
      replies.set(id, settle),
    );
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({
        id,
        method: 'Runtime.evaluate',
        params: { expression, returnByValue: true },
      }),
    });
    return (await reply).result?.result?.value;
  };
}
