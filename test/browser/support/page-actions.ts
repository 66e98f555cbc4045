// What a user does that Playwright has no one-liner for: dropping files onto the page, reading figures the
// page measured, taking the screenshots the docs show.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Drops `files` onto `selector` as a user dragging them from a file manager would. */
export async function dropFiles(
  page: Page,
  selector: string,
  files: readonly { readonly name: string; readonly bytes: Uint8Array }[],
): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const transfer = new DataTransfer();
      for (const { name, base64 } of list) {
        const binary = atob(base64);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        transfer.items.add(new File([bytes], name));
      }
      return transfer;
    },
    files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') })),
  );
  for (const type of ['dragenter', 'dragover', 'drop'])
    await page.dispatchEvent(selector, type, { dataTransfer });
  await dataTransfer.dispose();
}

const screenshotDir = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/**
 * Saves a PNG of the page as docs/screenshots/<name>.png — only when TETHER_SCREENSHOTS=1
 * (`npm run screenshots`), so an ordinary test run leaves the working tree alone.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env['TETHER_SCREENSHOTS'] !== '1') return;
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), animations: 'disabled' });
}

/** Time from navigation to the mark `name` the page set (ms), once it is set. */
export async function markTime(page: Page, name: string): Promise<number> {
  const handle = await page.waitForFunction(
    (mark) => performance.getEntriesByName(mark)[0]?.startTime,
    name,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as number;
}
