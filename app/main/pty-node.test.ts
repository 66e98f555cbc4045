import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTetherError } from '@tether/sdk';
import { rejectionOf } from '../../sdk/src/test-support/rejection-of.js';
import { ptyNode } from './pty-node.js';

describe('ptyNode', () => {
  it("is the app's own executable with the fuse on", () => {
    expect(ptyNode(true)).toEqual({ path: process.execPath, env: {} });
  });

  it('is a Node on PATH, looked up at each start, with the fuse off', async () => {
    const source = ptyNode(false, { PATH: path.dirname(process.execPath) });
    expect(typeof source).toBe('function');
    if (typeof source !== 'function') return;
    expect(await source()).toEqual({ path: path.join(path.dirname(process.execPath), 'node'), env: {} });
  });

  it('says why the app needs one when PATH has none', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'tether-no-node-'));
    try {
      const source = ptyNode(false, { PATH: empty });
      if (typeof source !== 'function') throw new Error('expected a lookup');
      const error = await rejectionOf(source());
      expect(isTetherError(error) && error.code).toBe('NODE_NOT_FOUND');
      expect((error as Error).message).toMatch(
        /RunAsNode fuse off, so its TTY extensions run with a Node\.js on PATH/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
