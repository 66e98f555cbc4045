import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { isStreamedResult, printCallResult } from './print-call-result.js';

/** An async iterable whose items the test hands out one by one, counting how many were asked for. */
class Feed implements AsyncIterable<unknown> {
  pulls = 0;
  readonly #waiting: ((result: IteratorResult<unknown>) => void)[] = [];

  push(value: unknown): void {
    this.#waiting.shift()!({ value, done: false });
  }

  end(): void {
    this.#waiting.shift()!({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return {
      next: () => {
        this.pulls++;
        return new Promise((resolve) => this.#waiting.push(resolve));
      },
    };
  }
}

function buffer(): { write(text: string): boolean; text: string } {
  return {
    text: '',
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

describe('isStreamedResult', () => {
  it('is true for async iterables (generators, Node Readables, ReadableStreams), false for values', () => {
    expect(isStreamedResult((async function* () {})())).toBe(true);
    expect(isStreamedResult(Readable.from([1]))).toBe(true);
    expect(isStreamedResult(new ReadableStream())).toBe(true);
    for (const value of ['text', [1], new Map(), null, undefined, 1n, { next: () => 1 }])
      expect(isStreamedResult(value)).toBe(false);
  });
});

describe('printCallResult', () => {
  it('prints a value on one line: inspected, or tagged JSON', async () => {
    const text = buffer();
    await printCallResult(new Map([['a', 1]]), false, text);
    await printCallResult(new Map([['a', 1]]), true, text);
    expect(text.text).toBe('Map(1) { \'a\' => 1 }\n{"$map":[["a",1]]}\n');
  });

  it('prints each item of a stream as it arrives, one line each with json (NDJSON)', async () => {
    const feed = new Feed();
    const out = buffer();
    const printing = printCallResult(feed, true, out);
    await waitFor(() => feed.pulls === 1, { what: () => 'the first pull' });
    feed.push({ at: new Date(Date.UTC(2024, 4, 1)) });
    await waitFor(() => out.text !== '', { what: () => 'the first item' });
    expect(out.text).toBe('{"at":{"$date":"2024-05-01T00:00:00.000Z"}}\n');
    feed.push(2n);
    await waitFor(() => feed.pulls === 3, { what: () => 'the third pull' });
    feed.end();
    await printing;
    expect(out.text).toBe('{"at":{"$date":"2024-05-01T00:00:00.000Z"}}\n{"$bigint":"2"}\n');
  });

  it('reads no further item while the output is full, until it drains', async () => {
    const feed = new Feed();
    const written: string[] = [];
    const output = Object.assign(new EventEmitter(), {
      write: (text: string) => (written.push(text), false),
    });
    const printing = printCallResult(feed, false, output);
    await waitFor(() => feed.pulls === 1, { what: () => 'the first pull' });
    feed.push('a');
    await waitFor(() => written.length === 1, { what: () => 'the first item written' });
    // A printer that did not wait would have pulled again in the same turn as the write, before waitFor's
    // next look: the pull count is settled here.
    expect(feed.pulls).toBe(1);
    output.emit('drain');
    await waitFor(() => feed.pulls === 2, { what: () => 'the pull after the drain' });
    feed.end();
    await printing;
    expect(written).toEqual(["'a'\n"]);
  });

  it('rejects with the error a stream ends with, after printing the items before it', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield await Promise.resolve(1);
      throw Object.assign(new Error('quota'), { code: 'QUOTA' });
    }
    const out = buffer();
    await expect(printCallResult(failing(), true, out)).rejects.toMatchObject({ code: 'QUOTA' });
    expect(out.text).toBe('1\n');
  });
});
