// serve()'s logging defaults: the console is captured into records unless stdout is a terminal.
import { describe, expect, it } from 'vitest';
import { defaultServeLogging } from './serve-logging-defaults.js';

describe('defaultServeLogging', () => {
  it('captures the console when stdout is a pipe, a file or absent (isTTY undefined or false)', () => {
    expect(defaultServeLogging({})).toEqual({ captureConsole: true, handleFatalErrors: true });
    expect(defaultServeLogging({ isTTY: false })).toEqual({ captureConsole: true, handleFatalErrors: true });
  });

  it('leaves the console to the user when stdout is a terminal, and still handles fatal errors', () => {
    expect(defaultServeLogging({ isTTY: true })).toEqual({ captureConsole: false, handleFatalErrors: true });
  });
});
