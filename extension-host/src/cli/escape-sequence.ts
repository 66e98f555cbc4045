/**
 * The `~.` escape of `tether run` in a terminal, as in ssh: since every key (Ctrl-C included) belongs to
 * the plugin while its terminal is passed through, this is the one sequence the CLI keeps for itself, so a
 * user can always get out of a plugin that hangs or ignores its input.
 *
 * Recognised only right after Enter (or as the very first input), as ssh does, so a `~` in the middle of a
 * line is typed as usual:
 * - `Enter ~ .` stops the plugin and ends `tether run`;
 * - `Enter ~ ~` types one `~`;
 * - `Enter ~` followed by anything else types both.
 * The `~` that may start an escape is held back until the next byte says which case it is.
 */

const TILDE = 0x7e;
const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;

export interface EscapeScan {
  /** The bytes to send on to the plugin's terminal (the input minus the escape). */
  readonly forward: Uint8Array;
  /** True when `~.` was typed; the bytes after it are dropped. */
  readonly detach: boolean;
}

export class EscapeScanner {
  #atLineStart = true;
  #pendingTilde = false;

  /** Scans one chunk of keyboard input. */
  scan(input: Uint8Array): EscapeScan {
    const out: number[] = [];
    for (const byte of input) {
      if (this.#pendingTilde) {
        this.#pendingTilde = false;
        if (byte === DOT) return { forward: Uint8Array.from(out), detach: true };
        if (byte === TILDE) {
          out.push(TILDE);
          this.#atLineStart = false;
          continue;
        }
        out.push(TILDE);
      } else if (this.#atLineStart && byte === TILDE) {
        this.#pendingTilde = true;
        continue;
      }
      out.push(byte);
      this.#atLineStart = byte === CR || byte === LF;
    }
    return { forward: Uint8Array.from(out), detach: false };
  }
}
