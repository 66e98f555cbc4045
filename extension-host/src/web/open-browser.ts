// Opening the web UI in the user's browser, when there is a display and a program that opens URLs — without
// putting the token on a command line, where every local user could read it (`ps`, /proc/<pid>/cmdline)
// for as long as the browser runs. The opener is given a private local file that redirects to the URL
// (as Jupyter does); only the user can read that file.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../manager/atomic-file.js';

/** The program that opens a file or URL in the user's default browser, on this machine. */
export interface BrowserOpener {
  readonly command: string;
  readonly args: readonly string[];
}

/** Why the UI was not opened: no display (a server, SSH), or no program to open it with. */
export type NoBrowserReason = 'no-display' | 'no-opener';

/**
 * The opener of this platform: `open` on macOS, `explorer.exe` on Windows, elsewhere `xdg-open` when it is
 * on PATH and a display is set (`DISPLAY` or `WAYLAND_DISPLAY`); otherwise why not.
 */
export function findBrowserOpener(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): BrowserOpener | NoBrowserReason {
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'explorer.exe', args: [] };
  if (!env['DISPLAY'] && !env['WAYLAND_DISPLAY']) return 'no-display';
  const xdgOpen = onPath('xdg-open', env['PATH']);
  return xdgOpen === undefined ? 'no-opener' : { command: xdgOpen, args: [] };
}

export interface OpenBrowserResult {
  /** Whether the opener was started (the browser itself may still fail to show up). */
  readonly opened: boolean;
  /** Why not, when not. */
  readonly reason?: NoBrowserReason | 'failed';
  /** The redirect file written (removed by {@link removeBrowserRedirect}), when one was. */
  readonly redirectFile?: string;
}

/**
 * Opens `url` in the user's browser through a redirect page written to `folder` (`open-ui.html`, mode
 * 0600; a private folder, such as the manager's data folder): the opener and the browser get that file's
 * path, not the URL with its token. Never throws: a missing display or opener is a result.
 */
export async function openBrowser(
  url: string,
  folder: string,
  opener: BrowserOpener | NoBrowserReason = findBrowserOpener(),
): Promise<OpenBrowserResult> {
  if (typeof opener === 'string') return { opened: false, reason: opener };
  const redirectFile = path.join(folder, 'open-ui.html');
  try {
    await writeFileAtomic(redirectFile, redirectPage(url), 0o600);
  } catch {
    return { opened: false, reason: 'failed' };
  }
  const started = await new Promise<boolean>((resolve) => {
    const child = spawn(opener.command, [...opener.args, redirectFile], { detached: true, stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
  return started ? { opened: true, redirectFile } : { opened: false, reason: 'failed', redirectFile };
}

/** Removes the redirect page (it holds the token of a server that is going away). */
export async function removeBrowserRedirect(result: OpenBrowserResult | undefined): Promise<void> {
  if (result?.redirectFile !== undefined) await rm(result.redirectFile, { force: true });
}

/** A page that goes to `url` at once (and links to it, should the browser not follow the refresh). */
export function redirectPage(url: string): string {
  const escaped = url.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return (
    `<!doctype html>\n<meta charset="utf-8">\n<meta name="referrer" content="no-referrer">\n` +
    `<meta http-equiv="refresh" content="0;url=${escaped}">\n<title>Tether</title>\n` +
    `<p><a href="${escaped}">Open Tether</a></p>\n`
  );
}

function onPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const folder of (pathVariable ?? '').split(path.delimiter)) {
    if (folder === '') continue;
    const candidate = path.join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there: the next folder.
    }
  }
  return undefined;
}
