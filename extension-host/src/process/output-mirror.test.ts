import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { OutputMirror, type OutputWriter } from './output-mirror.js';

/** A writer that accepts the first `capacity` writes happily and then reports full until `drain()`. */
class SlowWriter extends EventEmitter implements OutputWriter {
  readonly written: string[] = [];
  full = false;
  constructor(readonly capacity: number) {
    super();
  }
  write(text: string): boolean {
    this.written.push(text);
    if (this.written.length >= this.capacity) this.full = true;
    return !this.full;
  }
  drain(capacity: number): void {
    this.full = false;
    (this as { capacity: number }).capacity = this.written.length + capacity;
    this.emit('drain');
  }
}

describe('OutputMirror', () => {
  it('prefixes lines with the plugin name', () => {
    const writer = new SlowWriter(100);
    const mirror = new OutputMirror('kv', writer, 1000);
    mirror.writeLine('stdout', 'hello');
    mirror.writeLine('stderr', 'oops');
    expect(writer.written).toEqual(['[kv] hello\n', '[kv] oops\n']);
  });

  it('holds at most its bound while the writer is full, drops the rest and says so after the drain', () => {
    const writer = new SlowWriter(1);
    const mirror = new OutputMirror('p', writer, 40);
    for (let i = 0; i < 10_000; i++) mirror.writeLine('stderr', `line ${i}`);
    expect(writer.written).toEqual(['[p] line 0\n']);
    expect(mirror.bufferedChars).toBeLessThanOrEqual(40);
    // '[p] line 1\n' is 11 characters: three fit in 40.
    expect(mirror.droppedLines).toBe(10_000 - 1 - 3);

    writer.drain(1000);
    expect(writer.written).toEqual([
      '[p] line 0\n',
      '[p] line 1\n',
      '[p] line 2\n',
      '[p] line 3\n',
      '[p] … 9996 lines dropped (the output writer was too slow)\n',
    ]);
    mirror.writeLine('stdout', 'after');
    expect(writer.written.at(-1)).toBe('[p] after\n');
    expect(mirror.bufferedChars).toBe(0);
  });

  it('keeps the drop notice in place when the writer fills up again while catching up', () => {
    const writer = new SlowWriter(1);
    const mirror = new OutputMirror('p', writer, 22);
    for (let i = 0; i < 5; i++) mirror.writeLine('stdout', `l${i}`);
    // written: l0; queued: l1..l3 (7 chars each, 21 <= 22); dropped: l4
    writer.drain(1); // writes l1, full again
    mirror.writeLine('stdout', 'late'); // must not jump ahead of the notice: dropped too
    writer.drain(10);
    expect(writer.written).toEqual([
      '[p] l0\n',
      '[p] l1\n',
      '[p] l2\n',
      '[p] l3\n',
      '[p] … 2 lines dropped (the output writer was too slow)\n',
    ]);
  });

  it('stops writing after dispose', () => {
    const writer = new SlowWriter(1);
    const mirror = new OutputMirror('p', writer, 100);
    mirror.writeLine('stdout', 'a');
    mirror.writeLine('stdout', 'b');
    mirror.dispose();
    mirror.dispose();
    writer.drain(10);
    mirror.writeLine('stdout', 'c');
    expect(writer.written).toEqual(['[p] a\n']);
    expect(writer.listenerCount('drain')).toBe(0);
  });
});
