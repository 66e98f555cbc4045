import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

function collect(maxLineBytes: number): { lines: [string, boolean][]; splitter: LineSplitter } {
  const lines: [string, boolean][] = [];
  return {
    lines,
    splitter: new LineSplitter(maxLineBytes, (line, truncated) => lines.push([line, truncated])),
  };
}

describe('LineSplitter', () => {
  it('splits on LF and CRLF and joins lines across chunks', () => {
    const { lines, splitter } = collect(1024);
    splitter.push(Buffer.from('one\r\ntw'));
    splitter.push(Buffer.from('o\n\nthree\r'));
    splitter.push(Buffer.from('\nfour'));
    splitter.end();
    expect(lines).toEqual([
      ['one', false],
      ['two', false],
      ['', false],
      ['three', false],
      ['four', false],
    ]);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const { lines, splitter } = collect(1024);
    const bytes = Buffer.from('price: 5€ 😀\n');
    for (let i = 0; i < bytes.length; i++) splitter.push(bytes.subarray(i, i + 1));
    expect(lines).toEqual([['price: 5€ 😀', false]]);
  });

  it('cuts an over-long line into pieces marked truncated, between characters, with bounded memory', () => {
    const { lines, splitter } = collect(8);
    splitter.push(Buffer.from('abcdefgh'));
    // Exactly the cap: only cut once more bytes show that the line goes on.
    expect(lines).toEqual([]);
    splitter.push(Buffer.from('€€€'));
    expect(lines).toEqual([
      ['abcdefgh', true],
      ['€€', true], // 6 bytes: a third € (3 bytes) would exceed 8
    ]);
    splitter.push(Buffer.from('xyz\n'));
    expect(lines.at(-1)).toEqual(['€xyz', false]);
    expect(lines).toHaveLength(3);
  });

  it('cuts a long complete line arriving in one chunk', () => {
    const { lines, splitter } = collect(4);
    splitter.push(Buffer.from('aaaabbbbcc\r\nd\n'));
    expect(lines).toEqual([
      ['aaaa', true],
      ['bbbb', true],
      ['cc', false],
      ['d', false],
    ]);
  });

  it('flushes a last line without newline on end, once, and ignores later input', () => {
    const { lines, splitter } = collect(16);
    splitter.push(Buffer.from('tail'));
    splitter.end();
    splitter.end();
    splitter.push(Buffer.from('more\n'));
    expect(lines).toEqual([['tail', false]]);
  });
});
