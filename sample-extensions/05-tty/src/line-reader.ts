// Reads lines from a terminal in raw mode, echoing (or not) what is typed — what a password prompt needs,
// and what readline cannot do. Between two reads stdin is paused, so keys typed meanwhile wait in the
// terminal for the next read, or for the job (a shell) that gets the terminal.
import type { ReadStream, WriteStream } from 'node:tty';

/** What one read gives: the line, Ctrl-C (the line is dropped), or Ctrl-D on an empty line (end of input). */
export type LineResult =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'end' };

export interface ReadLineOptions {
  /** Show typed characters (default true). A password prompt passes false: nothing is shown. */
  readonly echo?: boolean;
}

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';
const BACKSPACES = new Set(['\x7f', '\b']);
const ESC = '\x1b';

export class LineReader {
  readonly #input: ReadStream;
  readonly #output: WriteStream;
  /** Typed characters not consumed yet (a paste, or several lines in one chunk). */
  #pending = '';
  #current: { prompt: string; echo: boolean; text: string; done: (result: LineResult) => void } | undefined;
  #lastWasCarriageReturn = false;

  constructor(input: ReadStream, output: WriteStream) {
    this.#input = input;
    this.#output = output;
    // Raw from the start, before the plugin is even connected: keys typed (or piped) early are neither
    // echoed by the terminal nor turned into signals, and wait for the first prompt as they are.
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      this.#pending += chunk;
      this.#drain();
    });
    input.pause();
  }

  /** True while a prompt is waiting for input. */
  get reading(): boolean {
    return this.#current !== undefined;
  }

  /** Shows `prompt` and reads one line in raw mode. */
  readLine(prompt: string, options: ReadLineOptions = {}): Promise<LineResult> {
    if (this.#current !== undefined) throw new Error('readLine is already waiting for a line');
    return new Promise<LineResult>((resolve) => {
      this.#input.setRawMode(true);
      this.#output.write(prompt);
      this.#current = {
        prompt,
        echo: options.echo ?? true,
        text: '',
        done: (result) => {
          this.#current = undefined;
          this.#input.pause();
          resolve(result);
        },
      };
      this.#input.resume();
      this.#drain();
    });
  }

  /** Writes `text` on its own line while a prompt waits, then shows the prompt and the typed text again. */
  interject(text: string): void {
    const current = this.#current;
    if (current === undefined) {
      this.#output.write(`${text}\r\n`);
      return;
    }
    this.#output.write(`\r\x1b[K${text}\r\n${current.prompt}${current.echo ? current.text : ''}`);
  }

  #drain(): void {
    while (this.#current !== undefined && this.#pending !== '') {
      const char = String.fromCodePoint(this.#pending.codePointAt(0)!);
      this.#pending = this.#pending.slice(char.length);
      if (char === ESC) {
        // An arrow or function key: its sequence is not part of the line.
        this.#pending = this.#pending.replace(/^(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/, '');
        continue;
      }
      this.#take(this.#current, char);
    }
  }

  #take(current: { echo: boolean; text: string; done: (result: LineResult) => void }, char: string): void {
    const afterCarriageReturn = this.#lastWasCarriageReturn;
    this.#lastWasCarriageReturn = char === '\r';
    if (char === '\n' && afterCarriageReturn) return; // "\r\n" is one Enter
    if (char === '\r' || char === '\n') {
      this.#output.write('\r\n');
      current.done({ kind: 'line', text: current.text });
    } else if (char === CTRL_C) {
      this.#output.write('^C\r\n');
      current.done({ kind: 'interrupt' });
    } else if (char === CTRL_D) {
      if (current.text !== '') return;
      this.#output.write('\r\n');
      current.done({ kind: 'end' });
    } else if (char === CTRL_U) {
      if (current.echo) this.#output.write('\b \b'.repeat([...current.text].length));
      current.text = '';
    } else if (BACKSPACES.has(char)) {
      if (current.text === '') return;
      current.text = [...current.text].slice(0, -1).join('');
      if (current.echo) this.#output.write('\b \b');
    } else if (char >= ' ') {
      current.text += char;
      if (current.echo) this.#output.write(char);
    }
  }
}
