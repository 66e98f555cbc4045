// Test-only: a host that starts the runner fixture's 'grandchild' mode with the pty runner, prints the pids
// of the plugin and of its grandchild as one JSON line, then stays until it is killed. Argument: the parent
// directory for the plugin's socket.
import { PtyRunner } from '../pty-runner.js';
import { TerminalText } from './terminal-output.js';
import { FIXTURE_NODE_ARGS, FIXTURE_PLUGIN } from './fixture-paths.js';

const plugin = await new PtyRunner({ socketDirParent: process.argv[2] }).launch(
  { name: 'orphan', entry: FIXTURE_PLUGIN, nodeArgs: FIXTURE_NODE_ARGS, args: ['grandchild'] },
  {},
);
const grandchild = Number((await new TerminalText(plugin.terminal).waitFor(/grandchild (\d+)/))[1]);
process.stdout.write(`${JSON.stringify({ pluginPid: plugin.pid, grandchild })}\n`);
setInterval(() => {}, 60_000);
