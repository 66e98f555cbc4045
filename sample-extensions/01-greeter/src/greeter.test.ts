// The greeter as a real plugin process, and its host run exactly as `npm start` runs it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NodeRunner, readManifest } from '@tether/extension-host';
import { greeter, handshake } from './contract.js';
import { TYPESCRIPT_NODE_ARGS, extensionDir, startGreeter } from './launch.js';

describe('01-greeter', () => {
  it('has a valid manifest that names the contract’s service and cookie', async () => {
    const manifest = await readManifest(extensionDir);
    expect(manifest.name).toBe('@tether-samples/greeter');
    expect(manifest.entry).toBe('src/plugin.ts');
    expect([...manifest.services]).toEqual([[greeter.name, [1]]]);
    expect(manifest.handshake).toEqual(handshake);
  });

  it('greets through a plugin process and stops it cleanly', async () => {
    const client = await startGreeter({ runner: new NodeRunner({ output: null }) });
    try {
      expect(client.services).toEqual(['greeter']);
      expect(await client.dispense(greeter).greet('world')).toBe('Hello, world!');
      expect(client.pid).not.toBe(process.pid);
    } finally {
      expect(await client.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it('the host prints the greeting', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...TYPESCRIPT_NODE_ARGS, 'src/host.ts', 'world'],
      { cwd: extensionDir },
    );
    expect(stdout).toBe('Hello, world!\n');
  });
});
