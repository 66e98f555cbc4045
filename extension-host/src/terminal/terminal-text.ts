/**
 * Terminal output as plain text, for crash reports (`stderrTail()` of a pty plugin): what a line of the
 * screen would roughly show, without colours, cursor movement or titles.
 */

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), DCS/SOS/PM/APC strings (ESC P|X|^|_ … ESC \), and the
// other two- or three-byte escapes (ESC ( B, ESC =, ESC 7, …). The 8-bit C1 forms are not used by programs
// writing UTF-8, where those bytes belong to characters.
/* eslint-disable no-control-regex -- matching control characters is the point */
const ESCAPES =
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~])/g;
// The C0 controls other than tab, backspace and carriage return (handled below), and DEL.
const CONTROLS = /[\x00-\x07\x0a-\x0c\x0e-\x1f\x7f]/g;
/* eslint-enable no-control-regex */

/**
 * One line of terminal output (without its line ending) as the text it shows: escape sequences removed; a
 * carriage return moves back to the start of the line and a backspace one character back, and what follows
 * overwrites (a progress bar shows its last state); other control characters removed.
 */
export function terminalLineText(line: string): string {
  const text = line.replace(ESCAPES, '').replace(CONTROLS, '');
  if (!text.includes('\r') && !text.includes('\b')) return text;
  const cells: string[] = [];
  let cursor = 0;
  for (const char of text) {
    if (char === '\r') cursor = 0;
    else if (char === '\b') cursor = Math.max(0, cursor - 1);
    else cells[cursor++] = char;
  }
  return cells.join('');
}
