// Where the app keeps its extensions, their state and its keys when no --data is given.
import { defaultDataFolder } from '@tether/extension-host';

/**
 * The user's data folder for Tether: `$XDG_DATA_HOME/tether` (or `~/.local/share/tether`) on Linux — the
 * folder of `tether host`, so `tether list` talks to the app without --data —, `~/Library/Application
 * Support/Tether` on macOS, `%APPDATA%\Tether` on Windows (folder names are not case-sensitive there, so the
 * CLI finds it too).
 */
export function userDataFolder(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const name = platform === 'darwin' || platform === 'win32' ? 'Tether' : 'tether';
  return defaultDataFolder(name, env, platform);
}
