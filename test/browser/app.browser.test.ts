// The real app — `npm start`'s host (app/host/start-app.ts), in-process over a fresh data folder — in a real
// Chromium: its first run installs the six sample extensions (signed), the page lists them; the command
// palette adds a note, is refused the counter's host storage until the user grants it, then counts; the
// 05-tty sample's REPL answers in the Terminal panel; stopping the app ends `startApp` with 0 and leaves the
// page reconnecting. With TETHER_SCREENSHOTS=1 it takes the README's picture (docs/screenshots/app.png).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp } from '../../app/host/start-app.js';
import { LOG_DIR_ENV } from '../../extension-host/src/constants.js';
import { WEB_UI_URL_PATTERN } from '../../extension-host/src/web/test-fixtures/web-ui-client.js';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';
import { launchBrowser, openPage, type PageProblems } from './support/browser.js';
import { screenshot } from './support/page-actions.js';
import { ensureUiBundle } from './support/ui-bundle.js';

/** The first run bundles, packs, signs and installs six samples: ~20 s idle, minutes on a loaded machine. */
const FIRST_START_MS = 240_000;

/** How long the page may take to show what the host did (a loaded machine: seconds, not milliseconds). */
const SHOWN = { timeout: 30_000 };
/** How long starting an extension (a process, its handshake) may take on a loaded machine. */
const STARTED = { timeout: 90_000 };
/** A test that starts extensions, or stops the app. */
const SLOW_TEST_MS = 240_000;

/** The samples' ids and display names (sample-extensions/*\/package.json). */
const SAMPLES: Readonly<Record<string, string>> = {
  '@tether-samples/greeter': 'Greeter',
  '@tether-samples/kv': 'Key-value store',
  '@tether-samples/bidirectional': 'Counter (bidirectional)',
  '@tether-samples/streaming': 'Streaming files',
  '@tether-samples/05-tty': 'TTY REPL',
  '@tether-samples/notes': 'Notes',
};
const COUNTER = '@tether-samples/bidirectional';
const TTY = '@tether-samples/05-tty';

/** What the app printed (its stdout and stderr), for the URL and for failure messages. */
let printed = '';
const output = new Writable({
  write(chunk: Buffer | string, _encoding, done) {
    printed += String(chunk);
    done();
  },
});

let work: string;
let stop: AbortController;
let app: Promise<number>;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tether-ui-app-'));
  // The app's log files go where `tether logs` finds them: here, into the test's folder.
  vi.stubEnv(LOG_DIR_ENV, join(work, 'logs'));
  stop = new AbortController();
  const uiRoot = await ensureUiBundle();
  app = startApp(
    { dataFolder: join(work, 'data'), port: 0, open: false, uiRoot },
    { stdout: output, stderr: output, signal: stop.signal },
  );
  const printedUrl = waitFor(() => WEB_UI_URL_PATTERN.exec(printed)?.[0], {
    what: () => `the app to print its URL; it printed:\n${printed}`,
    timeoutMs: FIRST_START_MS,
    intervalMs: 100,
  });
  const endedFirst = app.then((status) => {
    throw new Error(`startApp returned ${status} before printing its URL; it printed:\n${printed}`);
  });
  [url, browser] = await Promise.all([Promise.race([printedUrl, endedFirst]), launchBrowser()]);
  // As tall as the six rows need: the picture sits at the top of the README.
  ({ context, page, problems } = await openPage(browser, { viewport: { width: 1440, height: 400 } }));
}, FIRST_START_MS + 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  stop?.abort();
  await app?.catch(() => undefined);
  vi.unstubAllEnvs();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
}, SLOW_TEST_MS);

const row = (id: string) => page.locator(`tr[data-extension="${id}"]`);
const badge = (id: string) => row(id).locator('.badge');
const palette = () => page.getByRole('dialog', { name: 'Command palette' });
const result = () => palette().getByRole('status', { name: 'Command result' });
/** The terminal's visible text (xterm's DOM renderer: one element per row). */
const screenText = (): Promise<string> => page.locator('.terminal-screen .xterm-rows').innerText();

/** Opens the palette, finds the command by `query`, runs it with `args` typed at its prompt. */
async function runCommand(query: string, title: RegExp, args: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await palette().getByRole('combobox', { name: 'Command' }).fill(query);
  await expect.poll(() => palette().getByRole('option').first().textContent(), SHOWN).toMatch(title);
  await page.keyboard.press('Enter');
  await palette().getByRole('textbox', { name: 'Arguments' }).fill(args);
  await page.keyboard.press('Enter');
}

describe('the app (npm start’s host) in a real browser', () => {
  it('lists the six sample extensions installed on the first run, with their display names', async () => {
    expect(printed).toMatch(/first run on this data folder: installing the 6 sample extensions/);
    await page.goto(url);
    for (const [id, displayName] of Object.entries(SAMPLES)) {
      await expect.poll(() => row(id).locator('.display-name').textContent(), SHOWN).toBe(displayName);
    }
    expect(await page.locator('tr.extension-row').count()).toBe(6);
    // Installed by the app, signed by the data folder's own key.
    await page.getByRole('button', { name: `Details of ${COUNTER}` }).click();
    expect(await page.getByRole('region', { name: `Details of ${COUNTER}` }).textContent()).toMatch(
      /signed by Tether samples/,
    );
    await page.getByRole('button', { name: `Details of ${COUNTER}` }).click();
  });

  it(
    'runs notes.add from the palette; counter.increment is denied its host storage until granted',
    async () => {
      await runCommand('add a note', /Add a note/, 'Buy milk');
      // Notes starts on demand: the command waits for it, then shows the note it added.
      await expect.poll(() => result().textContent(), STARTED).toMatch(/Add a note[\s\S]*"text": "Buy milk"/);

      await palette().getByRole('combobox', { name: 'Command' }).fill('count one more');
      await expect
        .poll(() => palette().getByRole('option').first().textContent(), SHOWN)
        .toMatch(/Count one more/);
      await page.keyboard.press('Enter');
      // No arguments typed: the command's defaults (the key "clicks", by 1).
      await palette().getByRole('textbox', { name: 'Arguments' }).fill('');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => result().textContent(), STARTED)
        .toMatch(/Failed — PERMISSION_DENIED: .*counter\.storage/s);
      await page.keyboard.press('Escape');
      await expect.poll(() => palette().count(), SHOWN).toBe(0);

      await page.getByRole('button', { name: `Details of ${COUNTER}` }).click();
      const storage = page.getByRole('checkbox', { name: `Allow ${COUNTER} to use counter.storage` });
      expect(await storage.isChecked()).toBe(false);
      await storage.check();
      await expect.poll(() => storage.isDisabled(), SHOWN).toBe(false);
      expect(await storage.isChecked()).toBe(true);
      await page.getByRole('button', { name: `Details of ${COUNTER}` }).click();

      await runCommand('count one more', /Count one more/, '"clicks", 2');
      await expect
        .poll(() => result().textContent(), STARTED)
        .toMatch(/Count one more click \(kept by the host\)\s*2$/);
      await page.keyboard.press('Escape');
    },
    SLOW_TEST_MS,
  );

  it(
    'starts the 05-tty sample from its row; its REPL shows in the Terminal panel and answers a line',
    async () => {
      await page.getByRole('button', { name: `Start ${TTY}` }).click();
      await expect.poll(() => badge(TTY).textContent(), STARTED).toBe('running');
      await page.getByRole('tab', { name: 'Terminal' }).click();
      // The REPL's greeting came before the panel opened: the backlog replays it.
      await expect.poll(screenText, SHOWN).toMatch(/05-tty: a REPL that needs a real terminal[\s\S]*tty> /);
      await page.getByRole('textbox', { name: 'Terminal of TTY REPL: input' }).focus();
      await page.keyboard.type('size');
      // The REPL reads in raw mode and echoes each key itself.
      await expect.poll(screenText, SHOWN).toMatch(/tty> size/);
      await page.keyboard.press('Enter');
      await expect.poll(screenText, SHOWN).toMatch(/tty> size\s+size \d+x\d+\s+tty> /);
    },
    SLOW_TEST_MS,
  );

  it('shows the Extensions view with the samples, a few of them running (the README’s picture)', async () => {
    await page.getByRole('tab', { name: 'Extensions' }).click();
    for (const id of [COUNTER, TTY]) {
      await expect.poll(() => badge(id).textContent(), SHOWN).toBe('running');
      // Resource figures arrive from followStats: CPU once two samples were taken, memory in MiB or KiB.
      await expect.poll(() => row(id).locator('td').nth(4).textContent(), SHOWN).toMatch(/%/);
      await expect.poll(() => row(id).locator('td').nth(5).textContent(), SHOWN).toMatch(/iB/);
    }
    await screenshot(page, 'app');
  });

  it(
    'stopping the app ends startApp with 0; the page says it is reconnecting',
    async () => {
      stop.abort();
      expect(await app).toBe(0);
      expect(printed).toMatch(/tether app: stopped\./);
      const banner = page.getByRole('alert').filter({ hasText: 'Disconnected — reconnecting…' });
      await expect.poll(() => banner.count(), SHOWN).toBe(1);
    },
    SLOW_TEST_MS,
  );

  it('logged nothing but the refused reconnection attempts', () => {
    // Chromium logs each WebSocket that cannot connect; the page itself logs no error.
    expect(problems.errors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
  });
});
