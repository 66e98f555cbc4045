import { generateSigningKeys } from '../install/generate-signing-keys.js';
import { EXIT_OK } from './exit-code.js';
import type { Output } from './run-command.js';

export interface KeygenCommandInput {
  readonly outDir?: string;
  readonly name?: string;
}

/** `tether keygen [--out <dir>] [--name <name>]`: a publisher's Ed25519 key pair; prints the key id. */
export async function keygenCommand(
  input: KeygenCommandInput,
  io: { readonly stdout: Output },
): Promise<number> {
  const keys = await generateSigningKeys(input);
  io.stdout.write(
    `Key id: ${keys.keyId}\n` +
      `Private key: ${keys.privateKeyFile} (mode 0600; keep it secret: it signs your packages)\n` +
      `Public key:  ${keys.publicKeyFile} (give it to your users: tether trust ${keys.publicKeyFile})\n`,
  );
  return EXIT_OK;
}
