// Extension folders for `tether run` tests whose plugin is stop-misbehaving-plugin.ts in a given mode.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const stopModes = ['well-behaved', 'exit-3-on-stop', 'block-on-stop', 'ignore-sigterm'] as const;
export type StopMode = (typeof stopModes)[number];

export const stopFixtureHandshake = { cookieKey: 'TETHER_CLI_FIXTURE', cookieValue: 'stop-fixture' };

/** The extension name of the folders below (as `tether run` names the plugin in its messages). */
export const STOP_FIXTURE_NAME = 'stop-fixture';

const pluginSource = fileURLToPath(new URL('./stop-misbehaving-plugin.ts', import.meta.url));

/**
 * A new extension folder (in the temp directory; the caller removes it) whose entry runs the fixture plugin
 * in `mode`, with the service `stopFixture` (methods `echo`, `crash`), under `runner` (default node).
 */
export async function writeStopFixtureExtension(
  mode: StopMode,
  runner: 'node' | 'pty' = 'node',
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tether-stop-${runner}-${mode}-`));
  await writeFile(
    join(dir, 'plugin.ts'),
    `process.argv[2] = ${JSON.stringify(mode)};\nawait import(${JSON.stringify(pluginSource)});\n`,
  );
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: STOP_FIXTURE_NAME,
      version: '1.0.0',
      type: 'module',
      tether: {
        entry: 'plugin.ts',
        runner,
        services: { stopFixture: [1] },
        host: '>=0.1.0',
        handshake: stopFixtureHandshake,
      },
    }),
  );
  return dir;
}
