import { describe, expect, it } from 'vitest';
import { negotiateVersion } from './version-negotiation.js';

describe('negotiateVersion', () => {
  it('picks the newest version both sides support', () => {
    expect(negotiateVersion([1, 2, 3], [2, 3, 4])).toBe(3);
    expect(negotiateVersion([3, 1], [1])).toBe(1);
  });

  it.each([
    [
      [1, 2],
      [3],
      'the plugin serves versions 1, 2; this app supports version 3; update the plugin to a release',
    ],
    [
      [4],
      [1, 2],
      'the plugin serves version 4; this app supports versions 1, 2; update the app, or install an older release of the plugin',
    ],
    [
      [1, 3],
      [2],
      'the plugin serves versions 1, 3; this app supports version 2; update the plugin or the app',
    ],
  ])('no common version between %j and %j says what to do', (plugin, app, message) => {
    expect(() => negotiateVersion(plugin, app)).toThrow(
      expect.objectContaining({ code: 'NO_COMMON_VERSION', message: expect.stringContaining(message) }),
    );
  });
});
