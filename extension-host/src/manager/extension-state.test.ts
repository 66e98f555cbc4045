import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, extensionStates, isActive } from './extension-state.js';

describe('extension states', () => {
  it('allows the supervisor’s paths: start, crash, restart, give up', () => {
    const path = [
      'stopped',
      'starting',
      'running',
      'crashed',
      'starting',
      'running',
      'unresponsive',
      'running',
      'crashed',
      'failed',
      'starting',
    ] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('never lets a disabled or invalid extension start without passing through stopped', () => {
    expect(canTransition('disabled', 'starting')).toBe(false);
    expect(canTransition('invalid', 'starting')).toBe(false);
    expect(canTransition('invalid', 'running')).toBe(false);
  });

  it('reports a forbidden transition as a bug in Tether', () => {
    expect(() => assertTransition('x', 'stopped', 'running')).toThrow(/bug in Tether/);
  });

  it('every state can be reached and left', () => {
    for (const state of extensionStates) {
      expect(extensionStates.some((from) => canTransition(from, state))).toBe(true);
      expect(extensionStates.some((to) => canTransition(state, to))).toBe(true);
    }
    expect(extensionStates.filter(isActive)).toEqual(['starting', 'running', 'unresponsive', 'stopping']);
  });
});
