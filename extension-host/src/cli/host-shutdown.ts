// The end of a host in a terminal (`tether host`, `tether dev`, the app's `npm start`): say so, close what
// lets clients in, stop every extension, say it is done.
import type { ExtensionHostManager } from '../manager/extension-host-manager.js';
import { EXIT_FAILURE, EXIT_OK } from './exit-code.js';
import type { Output } from './run-command.js';
import { clockTime } from './state-change-line.js';

/**
 * Prints `<name>: stopping N running extensions…`, runs `closeFirst` (the web UI, the control socket: no
 * client may start an extension while they stop), disposes the manager (each extension asked to stop,
 * then SIGTERM and SIGKILL after the stop grace) and prints `<name>: stopped.` Returns 0, or 1 when
 * something failed to stop (said on stderr).
 */
export async function shutDownHost(
  name: string,
  manager: ExtensionHostManager,
  closeFirst: readonly (() => Promise<void>)[],
  io: { readonly stdout: Output; readonly stderr: Output },
): Promise<number> {
  const say = (line: string): void => void io.stdout.write(`${clockTime(new Date())} ${name}: ${line}\n`);
  const running = manager.list().filter((e) => e.pid !== undefined).length;
  say(`stopping${running === 0 ? '' : ` ${running} running extension${running === 1 ? '' : 's'}`}…`);
  let status = EXIT_OK;
  const fail = (what: string, error: unknown): void => {
    io.stderr.write(`${name}: ${what} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    status = EXIT_FAILURE;
  };
  for (const close of closeFirst) await close().catch((error: unknown) => fail('closing', error));
  await manager.dispose().catch((error: unknown) => fail('stopping the extensions', error));
  say('stopped.');
  return status;
}
