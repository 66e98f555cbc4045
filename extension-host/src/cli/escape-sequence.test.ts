import { describe, expect, it } from 'vitest';
import { EscapeScanner } from './escape-sequence.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** Feeds `chunks` one after another; returns what was forwarded and whether `~.` was seen. */
function feed(...chunks: string[]): { forwarded: string; detach: boolean } {
  const scanner = new EscapeScanner();
  let forwarded = '';
  for (const chunk of chunks) {
    const { forward, detach } = scanner.scan(bytes(chunk));
    forwarded += text(forward);
    if (detach) return { forwarded, detach };
  }
  return { forwarded, detach: false };
}

describe('EscapeScanner (Enter ~.)', () => {
  it('passes ordinary input through untouched, Ctrl-C included', () => {
    expect(feed('ls -l\r', '\x03', 'a~b\r')).toEqual({ forwarded: 'ls -l\r\x03a~b\r', detach: false });
  });

  it('detaches on ~. after Enter, dropping what follows', () => {
    expect(feed('echo hi\r~.rest')).toEqual({ forwarded: 'echo hi\r', detach: true });
    expect(feed('echo hi\n', '~', '.')).toEqual({ forwarded: 'echo hi\n', detach: true });
  });

  it('detaches on ~. as the very first input', () => {
    expect(feed('~.')).toEqual({ forwarded: '', detach: true });
  });

  it('ignores ~. in the middle of a line', () => {
    expect(feed('cd ~.\r')).toEqual({ forwarded: 'cd ~.\r', detach: false });
  });

  it('~~ after Enter types one ~, and does not start an escape', () => {
    expect(feed('\r~~.')).toEqual({ forwarded: '\r~.', detach: false });
  });

  it('a held ~ is sent with the next byte when no escape follows', () => {
    expect(feed('\r~', '/x')).toEqual({ forwarded: '\r~/x', detach: false });
    // After "~\r" the next line starts again, so ~. there is an escape.
    expect(feed('\r~\r~.')).toEqual({ forwarded: '\r~\r', detach: true });
  });
});
