// What the app's UI needs from ManagerApi beyond the CLI's share, through a Remote<ManagerApi> over a real
// RPC connection and real extension processes: installing a package sent as bytes (a dropped file and its
// .sig), per-extension RPC tracing with both directions, and a pty extension's terminal.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { implement, type Remote } from '@tether/sdk';
import { rejectionOf } from '../../../sdk/src/test-support/rejection-of.js';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { generateSigningKeys, type SigningKeys } from '../install/generate-signing-keys.js';
import { makeFixturePackage } from '../install/test-fixtures/fixture-packages.js';
import { TrustStore } from '../install/trust-store.js';
import { signatureFileFor } from '../install/verify-package-signature.js';
import type { ExtensionHostManager } from './extension-host-manager.js';
import type { ManagerApi } from './manager-api.js';
import { managerHandshake, probe, storage } from './test-fixtures/manager-contract.js';
import { connectManagerApi } from './test-fixtures/manager-api-client.js';
import { ManagerTestbed, bundleManagerPlugin } from './test-fixtures/manager-testbed.js';
import { UPLOADS_FOLDER } from './uploaded-package.js';

let bed: ManagerTestbed;
let manager: ExtensionHostManager;
let api: Remote<ManagerApi>;
let disposePeers: () => void;
beforeEach(async () => {
  bed = await ManagerTestbed.create();
  await bed.addExtension({
    name: 'alpha',
    hostApis: ['storage'],
    commands: [{ id: 'probe.add', title: 'Add' }],
  });
  await bed.addExtension({ name: 'beta' });
  await bed.addExtension({
    name: 'pty-probe',
    tether: {
      entry: 'plugin.mjs',
      runner: 'pty',
      services: { probe: [1] },
      host: '>=0.1.0',
      handshake: managerHandshake,
    },
  });
  manager = await bed.manager({
    app: {
      name: 'tether-test',
      handshake: managerHandshake,
      hostServices: [implement(storage, { get: (key) => `value of ${key}` })],
    },
  });
  ({ api, dispose: disposePeers } = connectManagerApi(manager));
});
afterEach(async () => {
  disposePeers();
  await bed.dispose();
});

async function read<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

/** `bytes` as a Web ReadableStream in chunks of `size`, as `File.stream()` gives them. */
function streamOf(bytes: Uint8Array, size = 16 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

describe('ManagerApi.installPackage: a package sent as bytes', () => {
  let work: string;
  let keys: SigningKeys;
  let signed: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tether-manager-api-upload-'));
    const bundle = await bundleManagerPlugin(work);
    keys = await generateSigningKeys({ outDir: join(work, 'keys'), name: 'acme' });
    signed = await makeFixturePackage(work, bundle, 'kv', '1.0.0', { keys });
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await new TrustStore(bed.data).add(await readFile(keys.publicKeyFile, 'utf8'), { publisher: 'Acme' });
  });

  it('receives the bytes with progress, verifies the signature sent with them and installs', async () => {
    const bytes = new Uint8Array(await readFile(signed));
    const signature = await readFile(signatureFileFor(signed), 'utf8');
    const items = await read(
      await api.installPackage('kv-1.0.0.tgz', streamOf(bytes), { signature, size: bytes.byteLength }),
    );
    const phases = items.map((item) => item.phase);
    expect(phases.at(0)).toBe('download');
    expect(phases.filter((phase) => phase !== 'download')).toEqual([
      'verify',
      'extract',
      'activate',
      'trial-start',
      'done',
    ]);
    const received = items.filter((item) => item.phase === 'download').at(-1);
    expect(received).toMatchObject({ bytes: bytes.byteLength, total: bytes.byteLength });
    expect(items.at(-1)).toMatchObject({ phase: 'done', id: 'kv', signed: true, publisher: 'Acme' });
    // The upload is gone once installed.
    await waitFor(async () => (await readdir(join(bed.data, UPLOADS_FOLDER))).length === 0, {
      what: 'the upload folder to be emptied',
    });
  });

  it('refuses a tampered package and one without its signature; nothing is installed', async () => {
    const bytes = new Uint8Array(await readFile(signed));
    const signature = await readFile(signatureFileFor(signed), 'utf8');
    const tampered = bytes.slice();
    tampered[tampered.length >> 1]! ^= 0x20;
    const corrupt = await rejectionOf(
      read(await api.installPackage('kv.tgz', streamOf(tampered), { signature })),
    );
    expect(corrupt).toMatchObject({ name: 'InstallError', code: 'PACKAGE_CORRUPT' });
    const unsigned = await rejectionOf(read(await api.installPackage('kv.tgz', streamOf(bytes), {})));
    expect(unsigned).toMatchObject({ name: 'InstallError', code: 'NOT_SIGNED' });
    expect((await api.list()).map((e) => e.id)).not.toContain('kv');
    await waitFor(async () => (await readdir(join(bed.data, UPLOADS_FOLDER))).length === 0, {
      what: 'the refused uploads to be removed',
    });
  });

  it('refuses a file name that is not a package name, and a signature that is not text', async () => {
    const bytes = new Uint8Array(4);
    for (const name of ['../kv.tgz', 'kv.zip', '', '.tgz']) {
      const error = await rejectionOf(read(await api.installPackage(name, streamOf(bytes), {})));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    const badSignature = await rejectionOf(
      read(await api.installPackage('kv.tgz', streamOf(bytes), { signature: 42 } as never)),
    );
    expect(badSignature).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('ManagerApi tracing, per extension and both ways', () => {
  it('traces the calls of one extension, the host calling it and it calling the host', async () => {
    await api.grant('alpha', 'storage');
    await api.setTracing(true, 'alpha');
    expect(await api.tracing()).toEqual({ all: false, extensions: ['alpha'] });
    const alpha = manager.service('alpha', probe);
    expect(await alpha.useStorage('k')).toBe('value of k');
    expect(await api.executeCommand('probe.add', [1, 2])).toBe(3);
    const beta = manager.service('beta', probe);
    expect(await beta.echo('b')).toBe('b');
    await waitFor(() => manager.logStore.query({ scope: 'rpc' }).records.length >= 3, {
      what: 'three traced calls',
    });
    const page = await api.traces({});
    expect(page.records.every((record) => record.extension === 'alpha')).toBe(true);
    const fields = page.records.map((record) => record.fields);
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ direction: 'outgoing', service: 'probe', method: 'useStorage' }),
        expect.objectContaining({ direction: 'incoming', service: 'storage', method: 'get' }),
        expect.objectContaining({ direction: 'outgoing', service: 'tether.commands', method: 'execute' }),
      ]),
    );
    for (const field of fields) {
      expect(field).toMatchObject({ bytesOut: expect.any(Number), bytesIn: expect.any(Number) });
    }
    await api.setTracing(false, 'alpha');
    expect(await api.tracing()).toEqual({ all: false, extensions: [] });
    await expect(api.setTracing(true, 'nobody')).rejects.toMatchObject({ code: 'EXTENSION_NOT_FOUND' });
    await expect(api.setTracing('yes' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('ManagerApi grants', () => {
  it('tells every UI of a grant and a revoke with the new snapshot', async () => {
    const seen: string[][] = [];
    const subscription = api.onDidChangeGrants((snapshot) => seen.push([...snapshot.grantedHostApis]));
    await api.list(); // the subscription is in place after a round trip
    await api.grant('alpha', 'storage');
    await api.grant('alpha', 'storage'); // already granted: no event
    await api.revoke('alpha', 'storage');
    await waitFor(() => seen.length === 2, { what: 'two grant events' });
    expect(seen).toEqual([['storage'], []]);
    subscription.dispose();
  });
});

describe('ManagerApi terminal of a pty extension', () => {
  it('streams the backlog then live output, takes input and resizes; ends when the process exits', async () => {
    await api.start('pty-probe');
    const first = await api.followTerminal('pty-probe');
    const decoder = new TextDecoder();
    let seen = '';
    const reading = (async () => {
      for await (const chunk of first) seen += decoder.decode(chunk, { stream: true });
    })();
    await api.writeTerminal('pty-probe', 'hello-terminal');
    await waitFor(() => seen.includes('hello-terminal'), { what: 'the typed text echoed' });
    await api.resizeTerminal('pty-probe', { cols: 100, rows: 30 });
    await expect(api.resizeTerminal('pty-probe', { cols: 0, rows: 30 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    // A viewer that opens late gets what was shown before as its first chunk.
    const late = await api.followTerminal('pty-probe');
    const iterator = late[Symbol.asyncIterator]();
    const backlog = await iterator.next();
    expect(decoder.decode(backlog.value as Uint8Array)).toContain('hello-terminal');
    await iterator.return?.();
    await api.stop('pty-probe');
    await reading; // the first stream ends with the process
  });

  it('says NO_TERMINAL for an extension without one, or not running', async () => {
    const stopped = await rejectionOf(api.followTerminal('pty-probe'));
    expect(stopped).toMatchObject({
      code: 'NO_TERMINAL',
      message: expect.stringContaining('start it first'),
    });
    await api.start('beta');
    await expect(api.writeTerminal('beta', 'x')).rejects.toMatchObject({
      code: 'NO_TERMINAL',
      message: expect.stringContaining('runner "node"'),
    });
  });
});
