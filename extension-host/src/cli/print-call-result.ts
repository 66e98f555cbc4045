import { formatResult } from './format-result.js';
import type { TextOutput } from './terminal-streams.js';

/** Where a result is printed: a stream whose full buffer is waited for (process.stdout), or any text sink. */
type ResultOutput = TextOutput & { once?(event: 'drain', listener: () => void): unknown };

/**
 * True for a streamed result: what a method returning `Promise<AsyncIterable<T>>` (or a ReadableStream, a
 * Node Readable) gives the caller — something to iterate with `for await`, not a value to print.
 */
export function isStreamedResult(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

/**
 * Prints a call's result on `output`, each value on its own line (formatResult; with `json` one line of
 * JSON each, so a stream is NDJSON). A streamed result is drained: each item is printed as it arrives, and
 * while `output` is full (a slow pipe) no more are read, so the plugin is held back instead of the items
 * piling up here. Resolves once everything is printed.
 * @throws what the stream ends with when it fails (the items before it are printed).
 */
export async function printCallResult(result: unknown, json: boolean, output: ResultOutput): Promise<void> {
  if (!isStreamedResult(result)) {
    output.write(`${formatResult(result, json)}\n`);
    return;
  }
  for await (const item of result) {
    if (output.write(`${formatResult(item, json)}\n`) === false && output.once !== undefined) {
      await new Promise<void>((resolve) => output.once!('drain', resolve));
    }
  }
}
