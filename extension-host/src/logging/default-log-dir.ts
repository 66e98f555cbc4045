import os from 'node:os';
import path from 'node:path';
import { LOG_DIR_ENV } from '../constants.js';

/**
 * The folder of the per-extension log files when none is given: `$TETHER_LOG_DIR`, else
 * `$XDG_STATE_HOME/tether/logs`, else `~/.local/state/tether/logs`. (An Electron app passes its own
 * `app.getPath('logs')` instead.)
 */
export function defaultLogDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const override = env[LOG_DIR_ENV];
  if (override !== undefined && override !== '') return path.resolve(override);
  const state = env['XDG_STATE_HOME'];
  const base =
    state !== undefined && path.isAbsolute(state)
      ? state
      : path.join(env['HOME'] ?? os.homedir(), '.local', 'state');
  return path.join(base, 'tether', 'logs');
}
