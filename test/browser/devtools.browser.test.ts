// The devtools panel in a real Chromium against a real host: live logs from an extension process, a live
// tail of 10 000 records/s (frame rate and memory measured in the page), filtering the 100 000 records the
// panel holds, and the RPC inspector showing a traced call with its duration. Figures are reported, and
// asserted only loosely (a loaded 2-core machine is slow).
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogStore } from '../../extension-host/src/logging/log-store.js';
import { probe } from '../../extension-host/src/manager/test-fixtures/manager-contract.js';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';
import { launchBrowser, openPage, type PageProblems } from './support/browser.js';
import { screenshot } from './support/page-actions.js';
import { UiHost } from './support/ui-host.js';

/** The tail's rate and length: 10 000 records/s for 12 s, past the panel's 100 000-record cap. */
const TAIL_RATE = 10_000;
const TAIL_SECONDS = 12;

let browser: Browser;
let host: UiHost;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  [browser, host] = await Promise.all([
    launchBrowser(),
    UiHost.start([{ name: 'alpha', commands: [{ id: 'probe.add', title: 'Probe: Add' }] }], {
      // Room for the whole tail in the host's history (the panel pages back through it).
      logStore: new LogStore({ maxRecordsPerExtension: 300_000, maxBytesPerExtension: 512 * 1024 * 1024 }),
    }),
  ]);
  await host.manager.start('alpha');
  ({ context, page, problems } = await openPage(browser));
  await page.goto(`${host.url}#logs`);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.dispose();
});

const shown = (): Promise<string | null> => page.getByRole('status', { name: 'Records shown' }).textContent();
const rows = () => page.getByRole('list', { name: 'Log records' }).getByRole('listitem');

/**
 * Appends `rate` records a second to `extension`'s log for `seconds`, every 10 ms those that are due (as a
 * chatty plugin would); numbers them from `from`; returns the next number.
 */
async function flood(extension: string, rate: number, seconds: number, from = 0): Promise<number> {
  const started = performance.now();
  let n = from;
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    const due = from + Math.floor(((performance.now() - started) / 1000) * rate);
    while (n < due) {
      host.manager.logStore.append(extension, {
        time: Date.now(),
        level: n % 50 === 0 ? 'warn' : 'info',
        scope: n % 2 === 0 ? 'http' : 'db',
        message: `request ${n} for user-${n % 1000} served`,
        fields: { n, route: `/items/${n % 97}` },
      });
      n++;
    }
    // not a wait: the flood is paced in 10 ms slices of rate/100 records; nothing is asserted meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return n;
}

describe('Devtools panel (real browser, real host)', () => {
  it('shows an extension’s records live, as its process logs them', async () => {
    await expect
      .poll(() => rows().filter({ hasText: 'ready' }).count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const before = await rows().filter({ hasText: 'ready' }).count();
    // A restart starts a new process, which logs `starting` and `ready` again: they arrive while we look.
    await host.manager.restart('alpha');
    await expect
      .poll(() => rows().filter({ hasText: 'ready' }).count(), { timeout: 30_000 })
      .toBeGreaterThan(before);
    const level = page.getByLabel('Level').first();
    await level.selectOption('warn');
    await expect.poll(() => rows().filter({ hasText: 'ready' }).count()).toBe(0);
    await level.selectOption('');
    // Records of every level, fields and an error with its stack, as an extension's logger sends them.
    const time = Date.now();
    const append = (record: Parameters<typeof host.manager.logStore.append>[1]): void =>
      void host.manager.logStore.append('alpha', record);
    append({
      time,
      level: 'debug',
      scope: 'cache',
      message: 'cache warmed',
      fields: { entries: 1284, ms: 41.5 },
    });
    append({
      time,
      level: 'info',
      scope: 'http',
      message: 'GET /items/42 200',
      fields: { ms: 3.2, bytes: 912 },
    });
    append({ time, level: 'warn', scope: 'db', message: 'slow query (412 ms)', fields: { table: 'items' } });
    append({
      time,
      level: 'error',
      scope: 'sync',
      message: 'sync failed: the remote closed the connection',
      error: {
        name: 'ConnectionClosedError',
        message: 'the remote closed the connection',
        stack:
          'ConnectionClosedError: the remote closed the connection\n    at Sync.push (sync.ts:88:11)\n    at async Queue.run (queue.ts:41:7)',
      },
    });
    const failed = rows().filter({ hasText: 'sync failed' });
    await failed.click();
    expect(await page.getByRole('complementary', { name: 'Record details' }).textContent()).toContain(
      'at Sync.push (sync.ts:88:11)',
    );
    await screenshot(page, 'logs');
    await page.getByRole('button', { name: 'Close record details' }).click();
  });

  it(`keeps a live tail of ${TAIL_RATE} records/s smooth, with bounded memory`, async () => {
    // Measure in the page: frames (requestAnimationFrame), the longest gap between two, and the JS heap.
    await page.evaluate(() => {
      const state = { frames: 0, longest: 0, last: performance.now(), running: true };
      (window as unknown as { fps: typeof state }).fps = state;
      const tick = (now: number): void => {
        state.longest = Math.max(state.longest, now - state.last);
        state.last = now;
        state.frames++;
        if (state.running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const heap = (): Promise<number> =>
      page.evaluate(
        () => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize,
      );
    const heapBefore = await heap();
    const started = performance.now();
    const midway = flood('alpha', TAIL_RATE, TAIL_SECONDS / 2);
    const sent = await flood('alpha', TAIL_RATE, TAIL_SECONDS / 2, await midway);
    const heapMidway = await heap();
    const seconds = (performance.now() - started) / 1000;
    const { frames, longest } = await page.evaluate(() => {
      const state = (window as unknown as { fps: { frames: number; longest: number; running: boolean } }).fps;
      state.running = false;
      return state;
    });
    // Let the page take the last batches.
    await waitFor(async () => (await shown())?.startsWith('100,000 of 100,000'), {
      what: 'the panel to hold 100 000 records',
      timeoutMs: 30_000,
    }).catch(() => undefined);
    const heapAfter = await heap();
    const fps = frames / seconds;
    const suppressedCount = page.getByRole('status', { name: 'Suppressed records' });
    const suppressed = (await suppressedCount.count()) === 0 ? null : await suppressedCount.textContent();
    console.log(
      `live tail: ${sent} records in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s): ` +
        `${fps.toFixed(1)} frames/s, longest frame gap ${longest.toFixed(0)} ms; JS heap ` +
        `${(heapBefore / 2 ** 20).toFixed(0)} → ${(heapMidway / 2 ** 20).toFixed(0)} → ${(heapAfter / 2 ** 20).toFixed(0)} MiB; ` +
        `panel: ${await shown()}${suppressed === null ? '' : `, ${suppressed}`}`,
    );
    // Loose: the page kept rendering, and its memory stayed within a few hundred MiB under the cap.
    expect(fps).toBeGreaterThan(10);
    expect(heapAfter).toBeLessThan(600 * 2 ** 20);
    // The ring holds at most its cap.
    expect(await shown()).toMatch(/of 100,000 records|of \d{2},\d{3} records/);
    await screenshot(page, 'logs-tail');
  });

  it('filters the 100 000 records it holds by text, and exports what it shows', async () => {
    // A fresh page fills up to its cap from the host's history alone, with no gap: the tail above may have
    // had records suppressed in the middle (a loaded machine), which paging back from the oldest never fills.
    await page.reload();
    await expect.poll(() => shown(), { timeout: 30_000 }).toMatch(/ of [\d,]+ records/);
    const loadOlder = page.getByRole('button', { name: 'Load older' });
    for (let i = 0; i < 20 && !(await shown())?.startsWith('100,000 of 100,000'); i++) {
      if (!(await loadOlder.isEnabled())) break;
      await loadOlder.click();
      await waitFor(async () => (await loadOlder.textContent()) === 'Load older', {
        what: 'the page of history',
      });
    }
    expect(await shown()).toMatch(/^100,000 of 100,000 records/);
    const search = page.getByRole('searchbox', { name: 'Search' });
    // Time it in the page: from the input event to the new count in the DOM.
    await page.evaluate(() => {
      const output = document.querySelector('[aria-label="Records shown"]')!;
      const box = document.querySelector('input[type="search"]')!;
      const timing = { start: 0, end: 0 };
      (window as unknown as { filterTiming: typeof timing }).filterTiming = timing;
      box.addEventListener('input', () => (timing.start = performance.now()), { capture: true, once: true });
      new MutationObserver((_, observer) => {
        timing.end = performance.now();
        observer.disconnect();
      }).observe(output, { subtree: true, characterData: true, childList: true });
    });
    await search.fill('user-42 ');
    await expect.poll(() => shown()).not.toMatch(/^100,000 of/);
    const timing = await page.evaluate(
      () => (window as unknown as { filterTiming: { start: number; end: number } }).filterTiming,
    );
    const pass = await page.getByRole('status', { name: 'Filter time' }).textContent();
    const count = Number((await shown())!.split(' of ')[0]!.replace(/,/g, ''));
    console.log(
      `filter 100 000 records by text: ${count} match; ${pass} (the pass), ${(timing.end - timing.start).toFixed(1)} ms from the keystroke to the new count on screen`,
    );
    expect(count).toBeGreaterThan(0);
    for (const text of await rows().allTextContents()) expect(text).toContain('user-42 ');
    // Export writes what is shown, one JSON record a line.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^tether-logs-.+\.ndjson$/);
    const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(count);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      extension: 'alpha',
      message: expect.stringContaining('user-42 '),
    });
    await search.fill('');
    await expect.poll(() => shown()).toMatch(/^100,000 of/);
  });

  it('shows a traced call in the RPC inspector with its direction, duration and bytes', async () => {
    await page.getByRole('tab', { name: 'RPC' }).click();
    const trace = page.getByRole('checkbox', { name: 'Trace alpha' });
    await trace.check();
    await waitFor(() => host.manager.logStore.isTracing('alpha'), { what: 'tracing to be on for alpha' });
    const alpha = host.manager.service('alpha', probe);
    expect(await alpha.echo('traced')).toBe('traced');
    // Some traffic for the timeline and the per-method figures: quick calls, slower ones, a failing
    // command, and a call the extension makes to the host (refused: no storage API is granted).
    for (let i = 0; i < 20; i++) await alpha.echo({ i, payload: 'x'.repeat(i * 50) });
    await Promise.all([alpha.sleep(30), alpha.sleep(60)]);
    await host.manager.executeCommand('probe.fail', []).catch(() => undefined);
    await alpha.useStorage('key');
    const call = page
      .getByRole('list', { name: 'Traced calls' })
      .getByRole('listitem')
      .filter({ hasText: 'probe.echo' });
    await expect.poll(() => call.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const duration = await call.first().getByLabel('duration').textContent();
    expect(duration).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    const method = page
      .getByRole('table', { name: 'Calls per method' })
      .getByRole('row')
      .filter({ hasText: 'probe.echo' });
    expect(await method.count()).toBe(1);
    console.log(
      `RPC inspector: probe.echo traced, ${duration}; per method: ${(await method.textContent())?.replace(/\s+/g, ' ')}`,
    );
    await page.getByRole('combobox', { name: 'Timeline' }).selectOption('5000');
    expect(
      await page.getByRole('img', { name: /^Timeline: \d+ calls/ }).getAttribute('aria-label'),
    ).not.toMatch(/^Timeline: 0 calls/);
    await screenshot(page, 'rpc-inspector');
    await trace.uncheck();
    await waitFor(() => !host.manager.logStore.isTracing('alpha'), { what: 'tracing to be off' });
  });

  it('logged no page error, console error or CSP violation', () => {
    expect(problems.errors).toEqual([]);
  });
});
