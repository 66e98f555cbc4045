import { describe, expect, it } from 'vitest';
import { resolvePluginClientOptions, type PluginClientOptions } from './plugin-client-options.js';

const base: PluginClientOptions = {
  spec: { name: 'x', entry: '/nonexistent/x.js' },
  handshake: { cookieKey: 'K', cookieValue: 'v' },
};

describe('resolvePluginClientOptions', () => {
  it('leaves unresponsiveMs to the RPC default unless given, and passes a given one on', () => {
    expect(resolvePluginClientOptions(base)).not.toHaveProperty('unresponsiveMs');
    expect(resolvePluginClientOptions({ ...base, unresponsiveMs: 500 }).unresponsiveMs).toBe(500);
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 31])('refuses unresponsiveMs %s, saying what it must be', (value) => {
    expect(() => resolvePluginClientOptions({ ...base, unresponsiveMs: value })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('unresponsiveMs must be a whole number of ms from 1 to'),
      }),
    );
  });
});
