// An extension folder for the `tether run --call` tests of issue 15, whose plugin is call-fixture-plugin.ts.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const callFixtureHandshake = { cookieKey: 'TETHER_CLI_FIXTURE', cookieValue: 'call-fixture' };

/** The extension name of the folder below. */
export const CALL_FIXTURE_NAME = '@acme/call-fixture';

const pluginSource = fileURLToPath(new URL('./call-fixture-plugin.ts', import.meta.url));

/**
 * A new extension folder (in the temp directory; the caller removes it) serving `fixture` (see
 * call-fixture-plugin.ts for its methods).
 */
export async function writeCallFixtureExtension(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tether-call-fixture-'));
  await writeFile(join(dir, 'plugin.ts'), `await import(${JSON.stringify(pluginSource)});\n`);
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: CALL_FIXTURE_NAME,
      version: '1.0.0',
      type: 'module',
      tether: {
        entry: 'plugin.ts',
        runner: 'node',
        services: { fixture: [1] },
        host: '>=0.1.0',
        handshake: callFixtureHandshake,
      },
    }),
  );
  return dir;
}
