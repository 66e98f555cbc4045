// One headless Chromium per test file, driven by playwright-core. The browser is the one @sparticuz/chromium
// ships inside its npm package (decompressed once to /tmp/chromium: the first caller does it under a lock, so
// parallel Vitest workers never read a half-written binary), or the one TETHER_CHROMIUM names (e.g. Debian's
// /usr/bin/chromium).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
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

/** Where Debian (and most Linux distributions) install a full Chromium. */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * A Chromium that can load extensions: TETHER_CHROMIUM, else a system Chromium (`.ci/run` installs Debian's),
 * else the one above (chrome-headless-shell: the extension tests then skip, saying why).
 */
export function fullChromiumPath(): Promise<string> {
  const fromEnv = process.env['TETHER_CHROMIUM'];
  if (fromEnv !== undefined && fromEnv !== '') return Promise.resolve(fromEnv);
  const system = SYSTEM_CHROMIUM.find((path) => existsSync(path));
  return system === undefined ? chromiumPath() : Promise.resolve(system);
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
  return { context, page, problems: collectProblems(page) };
}

/** Collects what `page` reports that a test should see (see {@link PageProblems}). */
export function collectProblems(page: Page): PageProblems {
  const problems: PageProblems = { errors: [] };
  page.on('pageerror', (error) => problems.errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(`console: ${message.text()}`);
  });
  return problems;
}

/** A browser of its own with an unpacked extension loaded; `close()` also removes its profile. */
export interface ExtensionBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium with the unpacked extension in `folder` (and no other), plus `args`. Playwright loads
 * extensions only in a persistent context (a profile folder of its own), and its default
 * --disable-extensions must go. Headless Chromium loads them; chrome-headless-shell — what
 * @sparticuz/chromium ships — has no extension system at all (see {@link extensionsUnsupported}).
 */
export async function launchWithExtension(
  folder: string,
  args: readonly string[] = [],
): Promise<ExtensionBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'tether-chromium-profile-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: await fullChromiumPath(),
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        `--disable-extensions-except=${folder}`,
        `--load-extension=${folder}`,
        ...args,
      ],
      ignoreDefaultArgs: ['--disable-extensions'],
      viewport: { width: 1280, height: 800 },
      timeout: 60_000,
    });
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(30_000);
    return {
      context,
      close: async () => {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Why this browser cannot load extensions, or undefined when it can. chrome-headless-shell (the browser of
 * @sparticuz/chromium) is built without extensions, and without chrome:// pages either: it refuses their
 * URLs as invalid, which a full Chromium never does.
 */
export async function extensionsUnsupported(context: BrowserContext): Promise<string | undefined> {
  const page = await context.newPage();
  try {
    await page.goto('chrome://version/');
    return undefined;
  } catch (error) {
    if (!String(error).includes('ERR_INVALID_URL')) throw error;
    return `${await fullChromiumPath()} is chrome-headless-shell, which cannot load extensions; run with TETHER_CHROMIUM=<a full Chromium>, e.g. Debian's /usr/bin/chromium`;
  } finally {
    await page.close();
  }
}
