import { describe, expect, it } from 'vitest';
import { Emitter } from './event.js';

describe('Emitter', () => {
  it('delivers to listeners in order and stops after dispose', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const a = emitter.event((n) => seen.push(`a${n}`));
    emitter.event((n) => seen.push(`b${n}`));
    emitter.fire(1);
    a.dispose();
    emitter.fire(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    emitter.dispose();
    expect(emitter.hasListeners).toBe(false);
  });
});
