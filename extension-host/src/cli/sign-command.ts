import { signPackage } from '../install/sign-package.js';
import { readKeyFile } from '../install/signing-key.js';
import { EXIT_OK } from './exit-code.js';
import type { Output } from './run-command.js';

export interface SignCommandInput {
  readonly archive: string;
  readonly keyFile: string;
}

/** `tether sign <package.tgz> --key <private.pem>`: writes `<package.tgz>.sig`. */
export async function signCommand(input: SignCommandInput, io: { readonly stdout: Output }): Promise<number> {
  const privateKeyPem = await readKeyFile(input.keyFile);
  const signed = await signPackage({ archive: input.archive, privateKeyPem, keySource: input.keyFile });
  io.stdout.write(
    `Signed ${signed.name} ${signed.version} with key ${signed.keyId}: ${signed.signatureFile}\n`,
  );
  return EXIT_OK;
}
