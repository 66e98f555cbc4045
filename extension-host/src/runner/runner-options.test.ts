import { isTetherError } from '@tether/sdk';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_STDERR_TAIL_LINES } from '../constants.js';
import { checkGraceMs, resolveRunnerOptions } from './runner-options.js';

describe('resolveRunnerOptions', () => {
  it('applies the defaults: mirror to the host stderr, caps from constants.ts', () => {
    const options = resolveRunnerOptions();
    expect(options.output).toBe(process.stderr);
    expect(options.maxLineBytes).toBe(DEFAULT_MAX_LINE_BYTES);
    expect(options.stderrTailLines).toBe(DEFAULT_STDERR_TAIL_LINES);
    expect(options.hostEnv).toBe(process.env);
    expect(resolveRunnerOptions({ output: null }).output).toBeNull();
  });

  it('rejects out-of-range values with INVALID_OPTIONS naming the field', () => {
    for (const bad of [{ maxLineBytes: 2 }, { stderrTailLines: -1 }, { mirrorBufferChars: 1.5 }]) {
      let error: unknown;
      try {
        resolveRunnerOptions(bad);
      } catch (e) {
        error = e;
      }
      expect(isTetherError(error, 'INVALID_OPTIONS')).toBe(true);
      expect((error as Error).message).toContain(Object.keys(bad)[0]);
    }
    expect(() => checkGraceMs(-1)).toThrow(/stop grace/);
    expect(() => checkGraceMs(Number.NaN)).toThrow(/stop grace/);
    expect(checkGraceMs(0)).toBe(0);
  });
});
