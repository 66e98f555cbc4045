import { setDeadlineTimer, type TimerHandle } from '../common/timers.js';
import { AbortedError, RpcTimeoutError } from '../errors/errors.js';
import { TetherError } from '../errors/tether-error.js';
import { AbortFanOut, type AbortListener } from './abort-fan-out.js';
import type { ResponsivenessMonitor } from './responsiveness-monitor.js';

interface PendingCall {
  readonly where: string;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: TimerHandle | undefined;
  /** The signals the call listens to through the fan-out, and its listener there. */
  readonly signals: readonly AbortSignal[];
  onAbort: AbortListener | undefined;
  /** Sent while acknowledgements were expected, and neither acknowledged nor answered yet. */
  unacked: boolean;
}

/**
 * The caller's side of calls in flight: ids, their promises, deadlines and abort listeners. Every entry
 * settles exactly once — by an answer, its timeout, its signal, or `rejectAll` when the connection closes.
 */
export class CallTable {
  #nextId = 1;
  readonly #calls = new Map<number, PendingCall>();
  readonly #signals = new AbortFanOut();
  readonly #maxPending: number;
  /**
   * Set once the peer acknowledges calls (RpcPeer.expectAcks): the calls added from then on are tracked
   * until their first ACK or answer.
   */
  monitor: ResponsivenessMonitor | undefined;

  constructor(maxPending: number) {
    this.#maxPending = maxPending;
  }

  get size(): number {
    return this.#calls.size;
  }

  /** Reserves the id of the next call; throws TOO_MANY_PENDING_CALLS when full. */
  nextId(where: string): number {
    if (this.#calls.size >= this.#maxPending) {
      throw new TetherError(
        'TOO_MANY_PENDING_CALLS',
        `Cannot call ${where}: ${this.#maxPending} calls are already waiting for an answer. Await some first, or raise maxPendingCalls.`,
      );
    }
    const id = this.#nextId;
    this.#nextId = id >= 0x7fffffff ? 1 : id + 1;
    return id;
  }

  /**
   * Registers call `id`. `onGiveUp` is called when the caller stops waiting before an answer (timeout or
   * abort) so the peer can be told to cancel the handler.
   */
  add(
    id: number,
    where: string,
    timeoutMs: number,
    signals: readonly AbortSignal[],
    onGiveUp: (id: number) => void,
  ): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const monitor = this.monitor;
      const call: PendingCall = {
        where,
        resolve,
        reject,
        timer: undefined,
        signals,
        onAbort: undefined,
        unacked: monitor !== undefined,
      };
      this.#calls.set(id, call);
      monitor?.sent();
      if (timeoutMs > 0) {
        call.timer = setDeadlineTimer(() => {
          this.#giveUp(
            id,
            new RpcTimeoutError(
              `${where} did not answer within ${timeoutMs} ms. Raise the timeout (withCallOptions(remote, { timeout })) or look for a handler that never returns.`,
            ),
          );
          onGiveUp(id);
        }, timeoutMs);
      }
      if (signals.length > 0) {
        const onAbort = (signal: AbortSignal): void => {
          this.#giveUp(
            id,
            new AbortedError(`${where} was aborted by its AbortSignal.`, { cause: signal.reason }),
          );
          onGiveUp(id);
        };
        call.onAbort = onAbort;
        // One listener per signal per peer, not per call (a shared signal would pass Node's listener limit).
        // A signal passed both as the call's option and as an argument is listened to once (a Set).
        for (const signal of signals) this.#signals.listen(signal, onAbort);
      }
    });
  }

  /** RESULT for call `id`. */
  resolve(id: number, value: unknown): boolean {
    const call = this.#take(id, true);
    call?.resolve(value);
    return call !== undefined;
  }

  /** ERROR for call `id` (or an answer that could not be decoded). */
  reject(id: number, error: unknown): boolean {
    const call = this.#take(id, true);
    call?.reject(error);
    return call !== undefined;
  }

  /** ACK for call `id`: the peer dispatched it. Unknown ids are ignored (the ACK may cross the answer). */
  acknowledge(id: number): void {
    const call = this.#calls.get(id);
    if (call === undefined) {
      this.monitor?.late(id);
    } else if (call.unacked) {
      call.unacked = false;
      this.monitor?.acknowledged();
    }
  }

  /** Where call `id` was made ('service.method'), for error messages. */
  where(id: number): string | undefined {
    return this.#calls.get(id)?.where;
  }

  rejectAll(makeError: (where: string) => Error): void {
    const calls = [...this.#calls.values()];
    this.#calls.clear();
    this.monitor?.clear();
    for (const call of calls) {
      this.#release(call);
      call.reject(makeError(call.where));
    }
  }

  /** The caller stopped waiting for call `id` (timeout, abort). */
  #giveUp(id: number, error: Error): void {
    this.#take(id, false)?.reject(error);
  }

  /** Removes call `id`; `answered` when its RESULT or ERROR arrived, false when the caller gave up. */
  #take(id: number, answered: boolean): PendingCall | undefined {
    const call = this.#calls.get(id);
    if (call === undefined) {
      if (answered) this.monitor?.late(id);
      return undefined;
    }
    this.#calls.delete(id);
    this.#release(call);
    if (call.unacked) {
      if (answered) this.monitor?.acknowledged();
      else this.monitor?.abandon(id);
    }
    return call;
  }

  #release(call: PendingCall): void {
    clearTimeout(call.timer);
    const { onAbort } = call;
    if (onAbort !== undefined) for (const signal of call.signals) this.#signals.stop(signal, onAbort);
  }
}
