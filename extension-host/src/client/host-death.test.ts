// go-plugin #10: a host that dies without stopping its plugins must not leave them running.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { isRunning } from './test-fixtures/is-running.js';

const hostScript = fileURLToPath(new URL('./test-fixtures/host-process.ts', import.meta.url));

describe('issue-10: host killed with SIGKILL', () => {
  it('its plugins exit by themselves within 2 s', async () => {
    const host = spawn(process.execPath, ['--conditions=tether-source', '--import', TSX_LOADER, hostScript], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pluginPid = await new Promise<number>((resolve, reject) => {
      let text = '';
      host.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(Number(text.trim()));
      });
      host.on('exit', (code) => reject(new Error(`host exited early with ${code}`)));
    });
    expect(isRunning(pluginPid)).toBe(true);
    host.kill('SIGKILL');
    const killedAt = Date.now();
    while (isRunning(pluginPid) && Date.now() - killedAt < 3000) await sleep(25);
    expect(isRunning(pluginPid)).toBe(false);
    expect(Date.now() - killedAt).toBeLessThan(2000);
  });
});
