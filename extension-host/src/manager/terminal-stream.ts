// A pty extension's terminal for a UI (`ManagerApi.followTerminal`): its backlog, then its live output, as a
// stream of byte chunks over RPC. Output that arrives while the reader is busy is joined into the next chunk
// (a terminal panel wants all of it, in order, as few messages as possible); past a cap the oldest bytes are
// dropped, as the handle's own backlog does, so a reader that stops reading never makes the host hold more.
import type { Disposable } from '@tether/sdk';
import type { TerminalHandle } from '../terminal/terminal-handle.js';

/** Most bytes waiting for a slow reader; older ones are dropped (the same size as a terminal's backlog). */
export const TERMINAL_STREAM_MAX_PENDING_BYTES = 1024 * 1024;

/**
 * The terminal's output from its backlog on: ends when the plugin's process exits (after its last output) or
 * when the reader stops. Input and resizes go through the handle (`ManagerApi.writeTerminal`/`resizeTerminal`).
 */
export async function* followTerminal(
  terminal: TerminalHandle,
  maxPendingBytes = TERMINAL_STREAM_MAX_PENDING_BYTES,
): AsyncGenerator<Uint8Array, void, undefined> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let exited = terminal.exitStatus !== undefined;
  let wake: (() => void) | undefined;
  const add = (chunk: Uint8Array): void => {
    if (chunk.byteLength === 0) return;
    pending.push(chunk);
    pendingBytes += chunk.byteLength;
    while (pendingBytes > maxPendingBytes && pending.length > 1) pendingBytes -= pending.shift()!.byteLength;
    wake?.();
  };
  add(terminal.backlog());
  const subscriptions: Disposable[] = [
    terminal.onDidOutput((chunk) => add(chunk.slice())),
    terminal.onDidExit(() => {
      exited = true;
      wake?.();
    }),
  ];
  try {
    for (;;) {
      if (pending.length > 0) {
        const chunk = join(pending, pendingBytes, maxPendingBytes);
        pending = [];
        pendingBytes = 0;
        yield chunk;
        continue;
      }
      if (exited) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
  }
}

/** The pending chunks as one, at most `max` bytes (the newest). */
function join(chunks: readonly Uint8Array[], total: number, max: number): Uint8Array {
  if (chunks.length === 1 && total <= max) return chunks[0]!;
  const size = Math.min(total, max);
  const out = new Uint8Array(size);
  let offset = size;
  for (let index = chunks.length - 1; index >= 0 && offset > 0; index--) {
    const chunk = chunks[index]!;
    const take = Math.min(chunk.byteLength, offset);
    out.set(chunk.subarray(chunk.byteLength - take), offset - take);
    offset -= take;
  }
  return out;
}
