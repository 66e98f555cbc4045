import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MANUAL_DECODE_MAX_BYTES, MANUAL_ENCODE_MAX_LENGTH, readKey, readUtf8, writeUtf8 } from './utf8.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function manualBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3 + 8);
  const written = writeUtf8(text, out, 3);
  return out.slice(3, 3 + written);
}

describe('utf8', () => {
  it('encodes exactly like TextEncoder on both sides of the cut-over, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: MANUAL_ENCODE_MAX_LENGTH * 2 }), (text) => {
        expect(manualBytes(text)).toStrictEqual(encoder.encode(text));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
    ['a high surrogate at the end', 'ab\udbff'],
    ['reversed pair', '\udc00\ud800'],
    ['a valid pair', '\ud83d\ude00'],
  ])('encodes %s like TextEncoder (U+FFFD for lone halves)', (_name, text) => {
    expect(manualBytes(text)).toStrictEqual(encoder.encode(text));
  });

  it('decodes exactly like TextDecoder (fatal: false), valid or not, on both sides of the cut-over', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: MANUAL_DECODE_MAX_BYTES * 3 }), (bytes) => {
        const padded = new Uint8Array(bytes.length + 2);
        padded.set(bytes, 1);
        const expected = decoder.decode(bytes);
        expect(readUtf8(padded, 1, bytes.length)).toBe(expected);
        expect(readKey(padded, 1, bytes.length)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes every valid encoding back to the well-formed string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const bytes = encoder.encode(text);
        const wellFormed = decoder.decode(bytes); // lone surrogates → U+FFFD, as String#toWellFormed
        expect(readUtf8(bytes, 0, bytes.length)).toBe(wellFormed);
        expect(readKey(bytes, 0, bytes.length)).toBe(wellFormed);
      }),
      { numRuns: 2000 },
    );
  });

  it.each<[string, number[]]>([
    ['an overlong NUL', [0xc0, 0x80]],
    ['an overlong slash', [0xe0, 0x80, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a lone continuation byte', [0x61, 0x80, 0x62]],
    ['a truncated 3-byte sequence', [0xe2, 0x82]],
    ['0xff', [0xff]],
  ])('replaces %s like TextDecoder', (_name, bytes) => {
    const input = new Uint8Array(bytes);
    expect(readUtf8(input, 0, input.length)).toBe(decoder.decode(input));
  });

  it('keeps a leading BOM', () => {
    const bytes = encoder.encode('\ufeffx');
    expect(readUtf8(bytes, 0, bytes.length)).toBe('\ufeffx');
    const long = encoder.encode(`\ufeff${'y'.repeat(100)}`);
    expect(readUtf8(long, 0, long.length)).toBe(`\ufeff${'y'.repeat(100)}`);
  });

  it('returns the cached key only when the bytes match', () => {
    const first = encoder.encode('alpha');
    const other = encoder.encode('alphb');
    expect(readKey(first, 0, 5)).toBe('alpha');
    expect(readKey(other, 0, 5)).toBe('alphb');
    expect(readKey(first, 0, 5)).toBe('alpha');
  });
});
