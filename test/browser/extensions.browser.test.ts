// The Extensions view in a real Chromium against a real host (web host + manager + extension processes):
// open the page and see the extensions, start one, install by drag-and-drop (signed: progress and done;
// tampered: refused with its code), grant a host-API permission, crash one and see why, restart it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../extension-host/src/install/generate-signing-keys.js';
import { makeFixturePackage } from '../../extension-host/src/install/test-fixtures/fixture-packages.js';
import { TrustStore } from '../../extension-host/src/install/trust-store.js';
import { probe } from '../../extension-host/src/manager/test-fixtures/manager-contract.js';
import { bundleManagerPlugin } from '../../extension-host/src/manager/test-fixtures/manager-testbed.js';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';
import { launchBrowser, openPage, type PageProblems } from './support/browser.js';
import { dropFiles, markTime, screenshot } from './support/page-actions.js';
import { UiHost } from './support/ui-host.js';

let browser: Browser;
let host: UiHost;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;
let work: string;
let signed: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tether-ui-extensions-'));
  const [launched, started] = await Promise.all([
    launchBrowser(),
    UiHost.start(
      [
        { name: 'alpha', commands: [{ id: 'probe.add', title: 'Probe: Add' }] },
        { name: 'beta', hostApis: ['storage'] },
        { name: 'broken', tether: { entry: 42, runner: 'teleport' } },
      ],
      // A crashed extension stays `crashed` (its restart is a minute away) until the user restarts it.
      { restartPolicy: { backoffMs: 60_000, maxBackoffMs: 60_000 } },
    ),
  ]);
  browser = launched;
  host = started;
  const keys = await generateSigningKeys({ outDir: join(work, 'keys'), name: 'acme' });
  await new TrustStore(host.bed.data).add(await readFile(keys.publicKeyFile, 'utf8'), { publisher: 'Acme' });
  signed = await makeFixturePackage(work, await bundleManagerPlugin(work), 'kv', '1.0.0', { keys });
  ({ context, page, problems } = await openPage(browser));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.dispose();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** The table row of extension `id`. */
const row = (id: string) => page.locator(`tr[data-extension="${id}"]`);
const badge = (id: string) => row(id).locator('.badge');

describe('Extensions view (real browser, real host)', () => {
  it('opens the page and shows every extension with its state; an invalid one shows its problems', async () => {
    const started = performance.now();
    await page.goto(host.url);
    await expect.poll(() => row('alpha').count()).toBe(1);
    const shownAt = await markTime(page, 'tether:extensions-shown');
    console.log(
      `first page load: extensions shown ${shownAt.toFixed(0)} ms after navigation start (${(performance.now() - started).toFixed(0)} ms for the test, browser already running)`,
    );
    await expect.poll(() => badge('alpha').textContent()).toBe('stopped');
    expect(await badge('beta').textContent()).toBe('stopped');
    expect(await badge('broken').textContent()).toBe('invalid');
    const problemsList = page.getByRole('list', { name: 'Manifest problems of broken' });
    expect(await problemsList.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await problemsList.textContent()).toMatch(/entry|runner/);
    // The token left the address bar (and so the history); a reload of the tab still connects.
    expect(page.url()).not.toContain('token');
    await page.reload();
    await expect.poll(() => badge('beta').textContent()).toBe('stopped');
  });

  it('starts an extension from its row and shows its process figures', async () => {
    await page.getByRole('button', { name: 'Start alpha' }).click();
    await expect.poll(() => badge('alpha').textContent(), { timeout: 30_000 }).toBe('running');
    const pid = host.manager.get('alpha').pid;
    expect(pid).toBeGreaterThan(0);
    await expect.poll(() => row('alpha').locator('td').nth(3).textContent()).toBe(String(pid));
    // Resource figures arrive from followStats (memory in MiB or KiB).
    await expect
      .poll(() => row('alpha').locator('td').nth(5).textContent(), { timeout: 30_000 })
      .toMatch(/iB/);
    await screenshot(page, 'extensions');
  });

  it('installs a signed package dropped on the page, showing each step; a tampered one is refused', async () => {
    // Watch the steps the page shows while the install runs.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { installSteps: string[] }).installSteps = seen;
      new MutationObserver(() => {
        const current = document.querySelector('.install-steps [aria-current="step"]')?.textContent;
        if (current !== undefined && current !== null && seen.at(-1) !== current) seen.push(current);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    const archive = await readFile(signed);
    const signature = await readFile(`${signed}.sig`);
    await dropFiles(page, 'main', [
      { name: 'kv-1.0.0.tgz', bytes: archive },
      { name: 'kv-1.0.0.tgz.sig', bytes: signature },
    ]);
    const status = page.getByRole('region', { name: 'Install of kv-1.0.0.tgz' });
    await expect
      .poll(() => status.getByRole('status').textContent(), { timeout: 60_000 })
      .toMatch(/Installed kv 1\.0\.0, signed by Acme/);
    expect(await status.getByRole('progressbar', { name: 'Install progress' }).getAttribute('value')).toBe(
      '1',
    );
    expect(await status.locator('.install-steps .step.done').count()).toBe(6);
    const steps = await page.evaluate(() => (window as unknown as { installSteps: string[] }).installSteps);
    console.log(`install steps seen while it ran: ${steps.join(' → ') || '(too fast to see one)'}`);
    await expect.poll(() => row('kv').count()).toBe(1);

    // The same package with one byte changed, its signature unchanged.
    const tampered = Buffer.from(archive);
    const at = Math.floor(tampered.length / 2);
    tampered[at] = tampered[at]! ^ 0xff;
    await dropFiles(page, 'main', [
      { name: 'kv-1.0.1.tgz', bytes: tampered },
      { name: 'kv-1.0.1.tgz.sig', bytes: signature },
    ]);
    const refused = page.getByRole('region', { name: 'Install of kv-1.0.1.tgz' }).getByRole('alert');
    await expect
      .poll(() => refused.textContent(), { timeout: 60_000 })
      .toMatch(/Install refused: the package signature was not accepted.*(BAD_SIGNATURE|PACKAGE_CORRUPT)/s);
    await screenshot(page, 'install-refused');
  });

  it('grants a host-API permission from the details of an extension', async () => {
    await page.getByRole('button', { name: 'Details of beta' }).click();
    const storage = page.getByRole('checkbox', { name: 'Allow beta to use storage' });
    expect(await storage.isChecked()).toBe(false);
    await storage.check();
    await waitFor(() => host.manager.get('beta').grantedHostApis.includes('storage'), {
      what: 'the manager to record the grant',
    });
    await expect.poll(() => storage.isChecked()).toBe(true);
    await storage.uncheck();
    await waitFor(() => host.manager.get('beta').grantedHostApis.length === 0, { what: 'the revoke' });
    await page.getByRole('button', { name: 'Details of beta' }).click();
  });

  it('shows a crashed extension with its reason and last records, and restarts it', async () => {
    await waitFor(() => host.manager.get('alpha').state === 'running', { what: 'alpha to run' });
    await host.manager
      .service('alpha', probe)
      .crash(3)
      .catch(() => undefined);
    await expect.poll(() => badge('alpha').textContent(), { timeout: 30_000 }).toBe('crashed');
    await expect.poll(() => row('alpha').locator('.last-error').textContent()).toMatch(/\S/);
    await page.getByRole('button', { name: 'Details of alpha' }).click();
    const details = page.getByRole('group', { name: 'Last error of alpha' });
    expect(await details.textContent()).toMatch(/exit code 3/);
    expect(await page.getByLabel('Last records of alpha').textContent()).toMatch(/ready/);
    await screenshot(page, 'extension-crashed');

    // The Logs panel marks the crash and the records before it.
    await page.getByRole('tab', { name: 'Logs' }).click();
    const crashLine = page.locator('.log-row.crash');
    await expect.poll(() => crashLine.count()).toBeGreaterThan(0);
    expect(await crashLine.first().textContent()).toMatch(/alpha crashed/);
    expect(await page.locator('.log-row.crash-tail').count()).toBeGreaterThan(0);
    await screenshot(page, 'logs-crash');
    // The crash is a record in the host's log: a page opened after it marks it the same way.
    await page.reload();
    await page.getByRole('tab', { name: 'Logs' }).click();
    await expect.poll(() => crashLine.count()).toBeGreaterThan(0);
    expect(await crashLine.first().textContent()).toMatch(/alpha crashed: .*code 3/);
    expect(await page.locator('.log-row.crash-tail').count()).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'Extensions' }).click();

    await page.getByRole('button', { name: 'Restart alpha' }).click();
    await expect.poll(() => badge('alpha').textContent(), { timeout: 30_000 }).toBe('running');
    expect(host.manager.get('alpha').state).toBe('running');
  });

  it('uninstalls an installed extension after confirming', async () => {
    await page.getByRole('button', { name: 'Uninstall kv' }).click();
    const dialog = page.getByRole('dialog', { name: 'Uninstall kv?' });
    await dialog.getByRole('button', { name: 'Uninstall' }).click();
    await expect.poll(() => row('kv').count(), { timeout: 30_000 }).toBe(0);
    expect(host.manager.list().map((e) => e.id)).not.toContain('kv');
  });

  it('logged no page error, console error or CSP violation', () => {
    // A refused install is an expected error shown in the page, not logged.
    expect(problems.errors).toEqual([]);
  });
});
