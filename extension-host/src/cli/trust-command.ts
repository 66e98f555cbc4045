import { TetherError } from '@tether/sdk';
import { readKeyFile } from '../install/signing-key.js';
import { TrustStore } from '../install/trust-store.js';
import { EXIT_OK } from './exit-code.js';
import { cliDataFolder } from './host-connection.js';
import type { TrustCommand } from './cli-command.js';
import type { Output } from './run-command.js';

/**
 * `tether trust <public.pem> [--name <publisher>]`, `--list`, `--remove <keyId>`: the publisher keys the
 * user trusts, in the data folder (`--data`, default that of `tether host`).
 */
export async function trustCommand(
  command: TrustCommand,
  io: { readonly stdout: Output; readonly stderr: Output },
): Promise<number> {
  const store = new TrustStore(cliDataFolder(command.dataFolder));
  switch (command.action) {
    case 'add': {
      const pem = await readKeyFile(command.keyFile);
      const { key, added } = await store.add(pem, { publisher: command.publisher, from: command.keyFile });
      const who = key.publisher === undefined ? '' : ` (${key.publisher})`;
      io.stdout.write(
        added
          ? `Trusted key ${key.keyId}${who}: packages it signs can be installed.\n`
          : `Key ${key.keyId}${who} was trusted already.\n`,
      );
      return EXIT_OK;
    }
    case 'list': {
      const { keys, problems } = await store.list();
      for (const problem of problems) io.stderr.write(`tether: ${problem}\n`);
      if (keys.length === 0) {
        io.stdout.write(
          `No trusted publisher keys in ${store.folder}; add one with "tether trust <public.pem>".\n`,
        );
        return EXIT_OK;
      }
      const width = Math.max(...keys.map((key) => key.keyId.length), 'KEY ID'.length);
      io.stdout.write(`${'KEY ID'.padEnd(width)}  PUBLISHER\n`);
      for (const key of keys) io.stdout.write(`${key.keyId.padEnd(width)}  ${key.publisher ?? '-'}\n`);
      return EXIT_OK;
    }
    case 'remove': {
      if (!(await store.remove(command.keyId))) {
        throw new TetherError(
          'INVALID_ARGUMENT',
          `No trusted key ${command.keyId} in ${store.folder}; "tether trust --list" shows the trusted keys.`,
        );
      }
      io.stdout.write(
        `Removed key ${command.keyId.trim().toLowerCase()}: packages it signs are no longer trusted.\n`,
      );
      return EXIT_OK;
    }
  }
}
