import { describe, expect, it } from 'vitest';
import { runAsNodeFuse } from './run-as-node.js';

describe('runAsNodeFuse', () => {
  it('is off unless the build says on', () => {
    expect(runAsNodeFuse({})).toBe(false);
    expect(runAsNodeFuse({ TETHER_RUN_AS_NODE: '' })).toBe(false);
    expect(runAsNodeFuse({ TETHER_RUN_AS_NODE: 'off' })).toBe(false);
    expect(runAsNodeFuse({ TETHER_RUN_AS_NODE: 'on' })).toBe(true);
  });

  it('refuses another value, naming the variable', () => {
    expect(() => runAsNodeFuse({ TETHER_RUN_AS_NODE: 'yes' })).toThrow(
      /^TETHER_RUN_AS_NODE must be "on" or "off" \(the default\), not "yes"/,
    );
  });
});
