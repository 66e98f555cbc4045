import { describe, expect, it } from 'vitest';
import { exitCodeOf, signalExitCode } from './exit-code.js';

describe('exitCodeOf', () => {
  it('is the code when the process exited', () => {
    expect(exitCodeOf({ code: 0, signal: null })).toBe(0);
    expect(exitCodeOf({ code: 3, signal: null })).toBe(3);
  });

  it('is 128 + the signal number when a signal killed it, like a shell', () => {
    expect(exitCodeOf({ code: null, signal: 'SIGKILL' })).toBe(137);
    expect(exitCodeOf({ code: null, signal: 'SIGTERM' })).toBe(143);
    expect(signalExitCode('SIGINT')).toBe(130);
    expect(signalExitCode('SIGHUP')).toBe(129);
  });

  it('is 1 when nothing is known', () => {
    expect(exitCodeOf({ code: null, signal: null })).toBe(1);
  });
});
