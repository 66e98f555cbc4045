// Terminal output lines as plain text, for crash reports.
import { describe, expect, it } from 'vitest';
import { terminalLineText } from './terminal-text.js';

describe('terminalLineText', () => {
  it('removes colours and other CSI sequences', () => {
    expect(terminalLineText('\x1b[1;31merror:\x1b[0m disk \x1b[38;5;208mfull\x1b[m')).toBe(
      'error: disk full',
    );
    expect(terminalLineText('\x1b[2K\x1b[1Gdone\x1b[?25h')).toBe('done');
  });

  it('removes titles (OSC ended by BEL or ST), charset and keypad escapes', () => {
    expect(terminalLineText('\x1b]0;my title\x07prompt$ ')).toBe('prompt$ ');
    expect(terminalLineText('\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
    expect(terminalLineText('\x1b(Bplain\x1b=\x1b>')).toBe('plain');
  });

  it('shows the last state of a line redrawn with carriage returns, and applies backspaces', () => {
    expect(terminalLineText('downloading  10%\rdownloading 100%')).toBe('downloading 100%');
    expect(terminalLineText('abcdef\rXY')).toBe('XYcdef');
    expect(terminalLineText('passXord\b\b\b\bword')).toBe('password');
    expect(terminalLineText('abc\b')).toBe('abc');
  });

  it('keeps tabs and text, drops other control characters', () => {
    expect(terminalLineText('a\tb\x07c\x00d')).toBe('a\tbcd');
    expect(terminalLineText('naïve € ✓')).toBe('naïve € ✓');
  });
});
