import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { TetherError } from '@tether/sdk';
import { PluginClient } from '../client/plugin-client.js';
import type { OutputWriter } from '../process/output-mirror.js';
import { ExecutableRunner } from '../runner/executable-runner.js';
import { NodeRunner } from '../runner/node-runner.js';
import type { Runner } from '../runner/runner.js';
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
 * Starts the extension through a `PluginClient`: the runner for `manifest.runner`, the cookie from
 * `tether.handshake`, every app protocol version the manifest lists. With `--call`, calls the method, prints
 * the result and stops the extension; without it, runs until SIGINT/SIGTERM. The extension's stdout and
 * stderr are mirrored to `options.stderr`, prefixed with its name.
 */
export const runExtension: RunExtension = async (manifest, extensionDir, options) => {
  const handshake = manifest.handshake;
  if (handshake === undefined) {
    throw new TetherError(
      'INVALID_MANIFEST',
      `Extension "${manifest.name}" has no tether.handshake in its package.json, so tether cannot start it: add the magic cookie of the app it is built for, e.g. "handshake": { "cookieKey": "MY_APP_PLUGIN", "cookieValue": "…" } (the values of its contract module).`,
    );
  }
  const client = await PluginClient.start({
    spec: {
      name: manifest.name,
      entry: path.join(extensionDir, manifest.entry),
      cwd: extensionDir,
      ...(manifest.sha256 === undefined ? {} : { sha256: manifest.sha256 }),
      ...(/\.[cm]?ts$/.test(manifest.entry) ? { nodeArgs: typeScriptNodeArgs() } : {}),
    },
    handshake,
    versions: [...new Set([...manifest.services.values()].flat())].sort((a, b) => a - b),
    runner: runnerFor(manifest, toWriter(options.stderr)),
  });
  try {
    if (options.call === undefined) return await runUntilSignal(client, options);
    const { service, method, args } = options.call;
    const definition = { name: service, methods: new Map([[method, {}]]), events: new Set<string>() };
    const remote = client.dispense(definition);
    const call = (remote as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!;
    const result = await call(...args);
    options.stdout.write(`${options.json ? toJson(result) : inspect(result, { depth: 8, colors: false })}\n`);
    return 0;
  } finally {
    await client.stop();
  }
};

function runnerFor(manifest: ExtensionManifest, output: OutputWriter): Runner {
  switch (manifest.runner) {
    case 'executable':
      return new ExecutableRunner({ output });
    case 'node':
    case 'utility':
      // A utility-process extension is Node code: outside Electron the CLI runs it as a Node child process.
      return new NodeRunner({ output });
    default:
      throw new TetherError(
        'INVALID_OPTIONS',
        `Extension "${manifest.name}" asks for the "${manifest.runner}" runner, which tether run does not support yet.`,
      );
  }
}

/** For an entry written in TypeScript (development): run it through tsx, with sources of workspace packages. */
function typeScriptNodeArgs(): string[] {
  let loader: string;
  try {
    loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    throw new TetherError(
      'ENTRY_NOT_EXECUTABLE',
      'The extension entry is a TypeScript file, which needs tsx to run: install it (npm install -D tsx) or point tether.entry at the built .js file.',
    );
  }
  return ['--conditions=tether-source', '--import', loader];
}

async function runUntilSignal(client: PluginClient, options: RunOptions): Promise<number> {
  options.stderr.write(
    `tether: ${client.name} is running (pid ${client.pid}, services ${client.services.join(', ')}); Ctrl-C stops it.\n`,
  );
  const status = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      client.stop().then(resolve, () => resolve({ code: 1, signal: null }));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    client.onDidExit((exit) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(exit);
    });
  });
  return status.code ?? 1;
}

function toWriter(output: Output): OutputWriter {
  if (typeof (output as Partial<OutputWriter>).once === 'function') return output as OutputWriter;
  return {
    write: (text) => {
      output.write(text);
      return true;
    },
    once: () => undefined,
  };
}

function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Map) return Object.fromEntries(v as Map<unknown, unknown>) as unknown;
    if (v instanceof Set) return [...(v as Set<unknown>)];
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    return v;
  });
}

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
