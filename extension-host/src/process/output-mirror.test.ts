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

/** The mirror writes at the end of the turn (a microtask): let it. */
const endOfTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('OutputMirror', () => {
  it('prefixes lines with the plugin name and writes one turn of lines in one piece', async () => {
    const writer = new SlowWriter(100);
    const mirror = new OutputMirror('kv', writer, 1000);
    mirror.writeLine('stdout', 'hello');
    mirror.writeLine('stderr', 'oops');
    expect(writer.written).toEqual([]);
    expect(mirror.bufferedChars).toBe(21);
    await endOfTurn();
    expect(writer.written).toEqual(['[kv] hello\n[kv] oops\n']);
    mirror.writeLine('stdout', 'next turn');
    await endOfTurn();
    expect(writer.written).toEqual(['[kv] hello\n[kv] oops\n', '[kv] next turn\n']);
    expect(mirror.bufferedChars).toBe(0);
  });

  it('holds at most its bound while the writer is full, drops the rest and says so after the drain', async () => {
    const writer = new SlowWriter(1);
    const mirror = new OutputMirror('p', writer, 40);
    mirror.writeLine('stderr', 'line 0');
    await endOfTurn();
    for (let i = 1; i < 10_000; i++) mirror.writeLine('stderr', `line ${i}`);
    await endOfTurn();
    expect(writer.written).toEqual(['[p] line 0\n']);
    expect(mirror.bufferedChars).toBeLessThanOrEqual(40);
    // '[p] line 1\n' is 11 characters: three fit in 40.
    expect(mirror.droppedLines).toBe(10_000 - 1 - 3);

    writer.drain(1000);
    expect(writer.written).toEqual([
      '[p] line 0\n',
      '[p] line 1\n[p] line 2\n[p] line 3\n',
      '[p] … 9996 lines dropped (the output writer was too slow)\n',
    ]);
    mirror.writeLine('stdout', 'after');
    await endOfTurn();
    expect(writer.written.at(-1)).toBe('[p] after\n');
    expect(mirror.bufferedChars).toBe(0);
  });

  it('keeps the drop notice in place when the writer fills up again while catching up', async () => {
    const writer = new SlowWriter(1);
    const mirror = new OutputMirror('p', writer, 22);
    mirror.writeLine('stdout', 'l0');
    await endOfTurn();
    for (let i = 1; i < 5; i++) mirror.writeLine('stdout', `l${i}`);
    // written: l0; held: l1..l3 (7 chars each, 21 <= 22); dropped: l4
    writer.drain(0); // writes l1..l3 in one piece, full again
    mirror.writeLine('stdout', 'late'); // must not jump ahead of the notice: dropped too
    await endOfTurn();
    writer.drain(10);
    expect(writer.written).toEqual([
      '[p] l0\n',
      '[p] l1\n[p] l2\n[p] l3\n',
      '[p] … 2 lines dropped (the output writer was too slow)\n',
    ]);
  });

  it('hands the lines of this turn over on dispose, then stops writing', async () => {
    const writer = new SlowWriter(1);
    const mirror = new OutputMirror('p', writer, 100);
    mirror.writeLine('stdout', 'a');
    mirror.dispose();
    mirror.dispose();
    expect(writer.written).toEqual(['[p] a\n']);
    mirror.writeLine('stdout', 'b');
    writer.drain(10);
    await endOfTurn();
    expect(writer.written).toEqual(['[p] a\n']);
    expect(writer.listenerCount('drain')).toBe(0);
  });

  it('discards the lines held for a drain on dispose', async () => {
    const writer = new SlowWriter(1);
    const mirror = new OutputMirror('p', writer, 100);
    mirror.writeLine('stdout', 'a');
    await endOfTurn();
    mirror.writeLine('stdout', 'b');
    mirror.dispose();
    writer.drain(10);
    await endOfTurn();
    expect(writer.written).toEqual(['[p] a\n']);
    expect(writer.listenerCount('drain')).toBe(0);
  });
});
