import { TetherError, isTetherError } from '@tether/sdk';
import { PLUGIN_SOCKET_ENV } from '../constants.js';
import { verifyChecksum } from '../process/checksum.js';
import { buildPluginEnv } from '../process/clean-env.js';
import { resolveNodeCommand } from '../process/node-command.js';
import { checkEntry } from '../process/entry-check.js';
import { createSocketDir } from '../process/socket-dir.js';
import { BrokeredPty } from '../terminal/pty-broker.js';
import type { TerminalHandle } from '../terminal/terminal-handle.js';
import { PtyPlugin } from './pty-runner-plugin.js';
import {
  resolvePtyRunnerOptions,
  type PtyRunnerOptions,
  type ResolvedPtyRunnerOptions,
} from './pty-runner-options.js';
import type { LaunchSpec, LaunchedPlugin, Runner } from './runner.js';

/** A plugin started by the pty runner: a launched plugin that also has its terminal. */
export interface LaunchedTerminalPlugin extends LaunchedPlugin {
  /** The plugin's pseudo-terminal: its stdin, stdout and stderr, as bytes plus a size. */
  readonly terminal: TerminalHandle;
}

/** True when `plugin` runs in a terminal (was started by a {@link PtyRunner}). */
export function hasTerminal(plugin: LaunchedPlugin): plugin is LaunchedTerminalPlugin {
  return 'terminal' in plugin && typeof (plugin as { terminal?: unknown }).terminal === 'object';
}

/**
 * Runs a plugin script with the host's own Node (or the runner's `node` option) inside a pseudo-terminal
 * (node-pty):
 * `node [...nodeArgs] entry [...args]`, its stdin, stdout and stderr all the terminal, so it sees a real TTY
 * (`isTTY`, raw mode, colours, the window size and SIGWINCH, Ctrl-C as SIGINT to its foreground job), and
 * so do the programs it runs (a shell, ssh, vi). The RPC connection does not go through the terminal: as
 * with the node runner, the plugin connects to a private Unix socket named by `TETHER_SOCKET`, so terminal
 * bytes and RPC frames never mix.
 *
 * The process is a session leader and the leader of its own process group, so stopping it (SIGTERM to the
 * group, grace, SIGKILL) reaches everything it started in the terminal. Its environment is the node
 * runner's clean one, plus `TERM=xterm-256color` and `COLORTERM=truecolor` unless the spec sets `TERM`
 * (then `COLORTERM` is the spec's too, or absent).
 *
 * What "output lines" mean here: terminal bytes are not mirrored line by line into the host's stderr, and
 * `onDidWriteLine` never fires (the terminal handle is where the output goes). `stderrTail()` returns the
 * last lines the terminal showed (stdout and stderr together, as the user saw them), escape sequences
 * stripped and blank lines skipped, so crash reports still say what the plugin printed last.
 */
export class PtyRunner implements Runner {
  readonly kind = 'pty' as const;
  readonly #options: ResolvedPtyRunnerOptions;

  constructor(options: PtyRunnerOptions = {}) {
    this.#options = resolvePtyRunnerOptions(options);
  }

  async launch(
    spec: LaunchSpec,
    handshakeEnv: Readonly<Record<string, string>>,
  ): Promise<LaunchedTerminalPlugin> {
    const options = this.#options;
    const entryPath = await checkEntry(spec.entry, { name: spec.name, cwd: spec.cwd, executable: false });
    if (spec.sha256 !== undefined) await verifyChecksum(entryPath, spec.sha256, spec.name);
    const node = await resolveNodeCommand(options.node);
    const socket = await createSocketDir({ parent: options.socketDirParent });
    const env = buildPluginEnv({
      hostEnv: options.hostEnv,
      specEnv: {
        // TERM and COLORTERM describe one terminal. A spec that names its terminal (a CLI passing its user's
        // through, as ssh passes TERM) also decides COLORTERM, absent when that terminal has none: the
        // plugin's escape sequences go to that terminal as they are. Otherwise the viewer is an
        // xterm-compatible emulator with 24-bit colour (xterm.js, the app's terminal panel).
        ...(spec.env?.['TERM'] === undefined ? { TERM: 'xterm-256color', COLORTERM: 'truecolor' } : {}),
        ...spec.env,
        ...node.env,
      },
      handshakeEnv: { ...handshakeEnv, [PLUGIN_SOCKET_ENV]: socket.socketPath },
    });
    const { cols, rows } = options.terminalSize;
    try {
      // In a broker process, so that the terminal's master fd never enters the host (see BrokeredPty).
      const pty = await BrokeredPty.start(
        {
          file: node.path,
          args: [...(spec.nodeArgs ?? []), entryPath, ...(spec.args ?? [])],
          // `name` is what node-pty puts in TERM: keep the one chosen above.
          name: env['TERM'] ?? 'xterm-256color',
          cols,
          rows,
          cwd: spec.cwd ?? process.cwd(),
          env,
        },
        { node },
      );
      return new PtyPlugin(spec.name, pty, socket, options);
    } catch (error) {
      socket.dispose();
      if (isTetherError(error)) throw error;
      throw new TetherError(
        'PTY_UNAVAILABLE',
        `Cannot start plugin "${spec.name}" in a pseudo-terminal: ${(error as Error).message}. ` +
          'The system may be out of ptys (check /dev/pts and kern.tty.ptmx_max) or node-pty may be built ' +
          'for another Node or Electron; rebuild it, or run the extension with the "node" runner.',
        { cause: error },
      );
    }
  }
}
