import { packExtension } from '../install/pack-extension.js';
import { EXIT_OK } from './exit-code.js';
import type { Output } from './run-command.js';

export interface PackCommandInput {
  readonly extensionDir: string;
  readonly outDir?: string;
}

/** `tether pack <dir> [--out <dir>]`: validates the manifest and writes `<name>-<version>.tgz`. */
export async function packCommand(input: PackCommandInput, io: { readonly stdout: Output }): Promise<number> {
  const packed = await packExtension({
    dir: input.extensionDir,
    ...(input.outDir === undefined ? {} : { outDir: input.outDir }),
  });
  io.stdout.write(
    `Packed ${packed.name} ${packed.version}: ${packed.file} (${packed.files.length} files, ${packed.size} bytes)\n` +
      `Sign it: tether sign ${packed.file} --key <private.pem>\n`,
  );
  return EXIT_OK;
}
