import path from 'node:path';
import { TetherError } from '@tether/sdk';
import { checkHostCompatibility } from '../manifest/check-host-compatibility.js';
import { didYouMean } from '../manifest/did-you-mean.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import { readManifest } from '../manifest/parse-manifest.js';
import type { CallRequest } from './parse-args.js';

/** Where the CLI writes text (process.stdout / process.stderr, or a buffer in tests). */
export interface Output {
  write(text: string): unknown;
}

export interface RunOptions {
  /** The method to call once the extension is up; without it, run until stopped. */
  readonly call?: CallRequest;
  /** Print results (and, later, events) as JSON. */
  readonly json: boolean;
  readonly debug: boolean;
  readonly stdout: Output;
  readonly stderr: Output;
}

/** Starts a validated extension and returns the exit status. */
export type RunExtension = (
  manifest: ExtensionManifest,
  extensionDir: string,
  options: RunOptions,
) => Promise<number>;

/**
 * INTEGRATION POINT: starts the extension through the plugin client. Not wired yet. The lead replaces
 * this body with: pick the runner for `manifest.runner` and `manifest.entry`, start a `PluginClient`,
 * dispense `options.call.service`, call the method with `options.call.args`, print the result (JSON with
 * `options.json`), mirror the extension's logs and stdio to `options.stderr`, dispose, return 0. Without
 * `call`, keep it running until SIGINT and return its exit status.
 */
export const runExtension: RunExtension = () =>
  Promise.reject(new TetherError('NOT_STARTED', 'tether run is not wired to the plugin client yet'));

export interface RunCommandInput {
  readonly extensionDir: string;
  readonly call?: CallRequest;
  readonly json: boolean;
  readonly debug: boolean;
}

/** `tether run`: read and validate the manifest, check the host version and the called service, then run. */
export async function runCommand(
  input: RunCommandInput,
  io: { readonly stdout: Output; readonly stderr: Output },
  run: RunExtension = runExtension,
): Promise<number> {
  const dir = path.resolve(input.extensionDir);
  const manifest = await readManifest(dir);
  checkHostCompatibility(manifest, { hostLabel: 'tether CLI' });
  if (input.call !== undefined && !manifest.services.has(input.call.service)) {
    const provided = [...manifest.services.keys()];
    throw new TetherError(
      'SERVICE_NOT_FOUND',
      `Extension "${manifest.name}" provides no service "${input.call.service}"${didYouMean(input.call.service, provided)}; its services are ${provided.map((s) => `"${s}"`).join(', ')} (tether.services in its package.json).`,
    );
  }
  return run(manifest, dir, {
    ...(input.call === undefined ? {} : { call: input.call }),
    json: input.json,
    debug: input.debug,
    stdout: io.stdout,
    stderr: io.stderr,
  });
}
