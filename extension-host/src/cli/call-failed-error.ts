import { encodeTagged } from './tagged-json.js';

/** After a call failed because the plugin went away, how long `tether run` waits for its exit (ms). */
export const CALL_FAILURE_EXIT_WAIT_MS = 2_000;

/** How many of the plugin's last stderr lines a failed `--call` prints (the error may carry more). */
export const CALL_FAILURE_STDERR_LINES = 10;

/**
 * A `tether run --call service.method` (or a request to the host) whose call failed; `cause` is the error the
 * call rejected with. `main` prints what `describe()` gives: the call, the error as `Name [CODE]: message`,
 * and the plugin's last stderr lines when the error carries them (`stderrTail`, as PLUGIN_EXITED and
 * PROTOCOL_VIOLATION errors do); with `--json`, what `toJson()` gives. Without a call (`tether install`),
 * the message is `Name [CODE]: message` alone.
 */
export class CallFailedError extends Error {
  override name = 'CallFailedError';
  /** `service.method`, or what was asked of the host; undefined when the command itself is the call. */
  readonly call: string | undefined;
  readonly #stderrTail: readonly string[] | undefined;

  /**
   * `stderrTail`, when given, replaces the one the error carries: the plugin's tail read once it has exited,
   * which may hold lines that arrived after the connection closed.
   */
  constructor(call: string | undefined, cause: unknown, stderrTail?: readonly string[]) {
    super(call === undefined ? describeCause(cause) : `${call} failed: ${describeCause(cause)}`, { cause });
    this.call = call;
    this.#stderrTail = stderrTail;
  }

  /** The lines to print: the message, then the last stderr lines of the plugin, if the error has them. */
  describe(): string {
    const tail = this.#tail().slice(-CALL_FAILURE_STDERR_LINES);
    // A message that already quotes them (PLUGIN_EXITED at start-up does) is not followed by them again.
    const last = tail.findLast((line) => line.trim() !== '')?.trim();
    if (last === undefined || this.message.split('\n').some((line) => line.trim() === last))
      return this.message;
    return `${this.message}\nIts last stderr lines:\n${tail.map((line) => `  ${line}`).join('\n')}`;
  }

  /**
   * The failure as `--json` prints it: the error's `name`, `code`, `message`, its own fields and `cause` (in
   * the tagged form of tagged-json.ts), the `call`, and the plugin's last stderr lines when there are some.
   */
  toJson(): Record<string, unknown> {
    const encoded = encodeTagged(this.cause);
    const error =
      encoded !== null && typeof encoded === 'object' && !Array.isArray(encoded)
        ? (encoded as Record<string, unknown>)
        : { name: 'Error', message: String(this.cause) };
    const tail = this.#tail();
    return {
      ...error,
      ...(this.call === undefined ? {} : { call: this.call }),
      ...(tail.length === 0 ? {} : { stderrTail: tail }),
    };
  }

  #tail(): readonly string[] {
    return this.#stderrTail ?? stderrTailOf(this.cause);
  }
}

/** `Name [CODE]: message` (`Name: message` without a code); a thrown non-Error as its text. */
export function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const { code } = cause as { code?: unknown };
  const label = typeof code === 'string' || typeof code === 'number' ? `${cause.name} [${code}]` : cause.name;
  return `${label}: ${cause.message}`;
}

/** The `stderrTail` of `error` or of the first error in its `cause` chain that has one. */
function stderrTailOf(error: unknown): readonly string[] {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    const { stderrTail } = current as { stderrTail?: unknown };
    if (Array.isArray(stderrTail))
      return stderrTail.filter((line): line is string => typeof line === 'string');
    current = current.cause;
  }
  return [];
}
