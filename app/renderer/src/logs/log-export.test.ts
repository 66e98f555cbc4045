import { describe, expect, it } from 'vitest';
import { recordEntry } from './log-buffer.js';
import { toNdjson } from './log-export.js';

describe('toNdjson', () => {
  it('writes one JSON object a line, codec values made JSON-safe, crash lines marked', () => {
    const text = toNdjson([
      recordEntry({
        time: 1,
        level: 'info',
        scope: 'db',
        message: 'hi',
        extension: 'alpha',
        seq: 1,
        fields: { big: 5n, map: new Map([['k', 1]]), bytes: new Uint8Array(3) },
      }),
      {
        kind: 'crash',
        extension: 'alpha',
        time: 2,
        seq: 9,
        message: 'alpha crashed',
        error: undefined,
        position: 0,
      },
    ]);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      {
        time: 1,
        level: 'info',
        scope: 'db',
        message: 'hi',
        extension: 'alpha',
        seq: 1,
        fields: { big: '5n', map: { k: 1 }, bytes: '<3 bytes>' },
      },
      { crash: true, extension: 'alpha', time: 2, message: 'alpha crashed' },
    ]);
    expect(toNdjson([])).toBe('');
  });
});
