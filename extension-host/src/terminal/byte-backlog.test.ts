// The terminal backlog: the latest bytes up to a cap, oldest dropped, never a broken UTF-8 character first.
import { describe, expect, it } from 'vitest';
import { ByteBacklog } from './byte-backlog.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const text = (backlog: ByteBacklog): string => Buffer.from(backlog.bytes()).toString('utf8');

describe('ByteBacklog', () => {
  it('keeps everything, in order, while under the cap', () => {
    const backlog = new ByteBacklog(100);
    for (const chunk of ['one ', 'two ', 'three']) backlog.push(bytes(chunk));
    expect(text(backlog)).toBe('one two three');
    expect(backlog.size).toBe(13);
  });

  it('drops the oldest bytes first, whole chunks and then part of one, to stay at the cap', () => {
    const backlog = new ByteBacklog(10);
    for (const chunk of ['aaaa', 'bbbb', 'cccc', 'dd']) backlog.push(bytes(chunk));
    expect(text(backlog)).toBe('bbbbccccdd');
    backlog.push(bytes('e'));
    expect(text(backlog)).toBe('bbbccccdde');
    expect(backlog.size).toBe(10);
  });

  it('keeps only the tail of a chunk larger than the whole cap', () => {
    const backlog = new ByteBacklog(5);
    backlog.push(bytes('xx'));
    backlog.push(bytes('0123456789'));
    expect(text(backlog)).toBe('56789');
  });

  it('never starts with the continuation bytes of a character it cut', () => {
    const backlog = new ByteBacklog(5);
    backlog.push(bytes('ab€€')); // 2 + 3 + 3 bytes: keeping 5 would start inside the first €
    expect(text(backlog)).toBe('€');
    expect(backlog.bytes()[0]).toBe(0xe2);
  });

  it('holds nothing with a cap of 0, and nothing after clear()', () => {
    const none = new ByteBacklog(0);
    none.push(bytes('lost'));
    expect(none.size).toBe(0);
    const backlog = new ByteBacklog(10);
    backlog.push(bytes('abc'));
    backlog.clear();
    expect(backlog.bytes()).toHaveLength(0);
  });

  it('returns a copy: changing it does not change the backlog', () => {
    const backlog = new ByteBacklog(10);
    backlog.push(bytes('abc'));
    backlog.bytes()[0] = 0x7a;
    expect(text(backlog)).toBe('abc');
  });

  it('rejects a capacity that is not a non-negative integer', () => {
    expect(() => new ByteBacklog(-1)).toThrow(RangeError);
    expect(() => new ByteBacklog(1.5)).toThrow(RangeError);
  });
});
