import { SerializationError } from '../errors/errors.js';

/**
 * Why encoding failed, travelling up the encoder's recursion. Each container the failure passes through
 * adds its key (`[3]`, `.onProgress`), so the path to the offending value costs nothing until something
 * actually fails. The top of the encoder turns it into a {@link SerializationError}.
 */
export class EncodeFailure extends Error {
  override name = 'EncodeFailure';
  /** Path segments, innermost first (they are added while unwinding). */
  readonly segments: string[] = [];

  constructor(
    /** What cannot be sent, e.g. "cannot send a function". */
    readonly problem: string,
    /** What to do about it, e.g. "wrap it in proxy() to pass it by reference". */
    readonly hint: string,
    override readonly cause?: unknown,
  ) {
    super(problem);
  }

  toError(): SerializationError {
    const message = `${this.problem} (at ${formatPath(this.segments)}): ${this.hint}`;
    return new SerializationError(message, this.cause === undefined ? undefined : { cause: this.cause });
  }
}

/**
 * Adds one path segment to a failure on its way up, wrapping anything that is not an EncodeFailure yet
 * (a throwing getter, a hook that throws, an allocation that fails).
 */
export function withSegment(error: unknown, segment: string): EncodeFailure {
  const failure = toFailure(error);
  failure.segments.push(segment);
  return failure;
}

export function toFailure(error: unknown): EncodeFailure {
  if (error instanceof EncodeFailure) return error;
  // No regex here: this runs near the stack limit, and a regex that cannot compile there throws SyntaxError.
  if (error instanceof RangeError && error.message.includes('call stack')) {
    return new EncodeFailure(
      'value is nested too deeply to encode',
      'lower maxDepth or flatten the value',
      error,
    );
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new EncodeFailure(
    'cannot encode value',
    `reading it threw ${detail}; send plain data instead (see the error's cause)`,
    error,
  );
}

/** `[3]` for an array index. */
export function indexSegment(index: number): string {
  return `[${index}]`;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/** `.name` for an identifier key, `["a key"]` otherwise. */
export function keySegment(key: string): string {
  return identifier.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

const MAX_SHOWN_SEGMENTS = 12;

/** `value[4][1].onProgress`; a very long path (a cyclic value) keeps its first and last segments. */
export function formatPath(innermostFirst: readonly string[]): string {
  const segments = innermostFirst.slice().reverse();
  if (segments.length > MAX_SHOWN_SEGMENTS) {
    const head = segments.slice(0, MAX_SHOWN_SEGMENTS - 4);
    const tail = segments.slice(-4);
    return `value${head.join('')}…(${segments.length - head.length - tail.length} more)…${tail.join('')}`;
  }
  return `value${segments.join('')}`;
}
