import type { Disposable } from '../common/disposable.js';
import { clearMacrotask, setMacrotask, type MacrotaskHandle } from '../common/timers.js';
import type { MuxChannel } from '../mux/mux-types.js';

/**
 * The callee's acknowledgements (protocol.md section 4.8): collects the ids of calls whose handlers were
 * started and did not answer at once, and sends those still unanswered in one ACK from a `setImmediate`.
 *
 * The immediate is the point: it runs only once the event loop turns. A handler that awaits lets it turn,
 * so its call is acknowledged within a turn; a handler that blocks the loop holds back every ACK, which is
 * how the caller tells a busy plugin from a stuck one. A call answered before the flush (the usual case: a
 * handler that returns at once or resolves in a microtask) needs no ACK, its answer says more; when every
 * call of a batch was answered, nothing is sent. Calls answered in order leave the batch at once, and a batch
 * whose calls are all answered cancels its immediate before it runs (measured: running it cost ~4% of the
 * CPU of a small sequential call, both sides in one process; cancelling it costs nothing measurable).
 *
 * Only a side that was asked for ACKs, a plugin, creates one. Where there is no `setImmediate` (a browser),
 * the flush is a `setTimeout(0)`: it too waits for the event loop to turn.
 */
export class AckBatcher implements Disposable {
  readonly #isRunning: (id: number) => boolean;
  readonly #send: (channel: MuxChannel, ids: number[]) => void;
  /** Ids of calls dispatched since the last flush; those before `#head` are answered already. */
  #ids: number[] = [];
  #head = 0;
  #channel: MuxChannel | undefined;
  #immediate: MacrotaskHandle | undefined;
  readonly #flush = (): void => {
    this.#immediate = undefined;
    this.#sendBatch();
  };

  /**
   * `isRunning(id)`: whether call `id` is still unanswered. `send(channel, ids)`: sends `[ACK, ids]` on
   * `channel` (never throws).
   */
  constructor(isRunning: (id: number) => boolean, send: (channel: MuxChannel, ids: number[]) => void) {
    this.#isRunning = isRunning;
    this.#send = send;
  }

  /** Call `id` (≠ 0), which came in on `channel`, was dispatched and is not answered yet. */
  add(id: number, channel: MuxChannel): void {
    // Calls come in on the peer's one `rpc` channel; a peer that opens more gets a batch per channel.
    if (this.#channel !== channel && this.#ids.length > this.#head) this.#sendBatch();
    this.#channel = channel;
    this.#ids.push(id);
    this.#immediate ??= setMacrotask(this.#flush);
  }

  /**
   * Call `id` was answered. Calls answered in the order they came (or the last one first) leave the batch at
   * once, and a batch whose calls are all answered cancels its immediate: nothing to send, nothing to run.
   * Others stay in the batch, and the flush leaves them out.
   */
  answered(id: number): void {
    const ids = this.#ids;
    if (this.#head < ids.length && ids[this.#head] === id) this.#head++;
    else if (this.#head < ids.length && ids[ids.length - 1] === id) ids.pop();
    else return;
    if (this.#head < ids.length) return;
    ids.length = 0;
    this.#head = 0;
    if (this.#immediate !== undefined) clearMacrotask(this.#immediate);
    this.#immediate = undefined;
  }

  dispose(): void {
    if (this.#immediate !== undefined) clearMacrotask(this.#immediate);
    this.#immediate = undefined;
    this.#ids = [];
    this.#head = 0;
    this.#channel = undefined;
  }

  #sendBatch(): void {
    const ids = this.#ids;
    const head = this.#head;
    const channel = this.#channel;
    this.#ids = [];
    this.#head = 0;
    if (channel === undefined) return;
    let unanswered = 0;
    for (let i = head; i < ids.length; i++) if (this.#isRunning(ids[i]!)) ids[unanswered++] = ids[i]!;
    if (unanswered === 0) return;
    ids.length = unanswered;
    this.#send(channel, ids);
  }
}
