// One headless Chromium per test file, driven by playwright-core. The browser is the one @sparticuz/chromium
// ships inside its npm package (decompressed once to /tmp/chromium: the first caller does it under a lock, so
// parallel Vitest workers never read a half-written binary), or the one TETHER_CHROMIUM names (e.g. Debian's
// /usr/bin/chromium).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { withFileLock } from './file-lock.js';

/**
 * Flags beyond Playwright's own (which already include --no-sandbox, needed as root). sparticuz's `args` are
 * for AWS Lambda (--single-process, --no-zygote, swiftshader GL): none is needed here, and --single-process
 * makes a renderer crash take the browser down.
 */
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
  // performance.memory in exact bytes (the memory figures of the live-tail test).
  '--enable-precise-memory-info',
];

let executable: Promise<string> | undefined;

/** The Chromium binary's path (decompressed on first use). */
export function chromiumPath(): Promise<string> {
  const fromEnv = process.env['TETHER_CHROMIUM'];
  if (fromEnv !== undefined && fromEnv !== '') return Promise.resolve(fromEnv);
  executable ??= withFileLock(join(tmpdir(), 'tether-chromium-unpack.lock'), () =>
    sparticuz.executablePath(),
  );
  return executable;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** What a page reported that a test should see: uncaught errors, console errors, CSP violations. */
export interface PageProblems {
  readonly errors: string[];
}

/** A fresh context and page at `url`'s origin, with its problems collected. */
export async function openPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 } });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on('pageerror', (error) => problems.errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}
