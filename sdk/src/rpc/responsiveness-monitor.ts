import type { Disposable } from '../common/disposable.js';
import { setDeadlineTimer, type TimerHandle } from '../common/timers.js';

/**
 * Checks per unresponsive time: the peer is flagged between `unresponsiveMs` and (1 + 1/CHECKS) ×
 * `unresponsiveMs` after its last sign of life. More checks are more precise and wake the caller more often
 * while calls are outstanding (every 750 ms at the default 3 s).
 */
const CHECKS = 4;

/**
 * The caller's side of acknowledgements (protocol.md section 4.8; its pair is `AckBatcher`): counts the
 * calls sent that the peer has neither acknowledged nor answered, and says the peer is unresponsive when
 * some are outstanding and no sign of life (an ACK, RESULT or ERROR of such a call) came for
 * `unresponsiveMs` — VS Code's extension-host rule. The next sign of life makes it responsive again.
 *
 * Cheap on the call path: a counter and a flag per call, no clock read. Time is kept by one unref()'d timer
 * that ticks CHECKS times per `unresponsiveMs` while calls are outstanding; a tick that finds the flag set
 * starts the count of quiet ticks again, and CHECKS quiet ticks in a row make the peer unresponsive. The
 * timer is armed only when a call goes out (or life returns) with none armed, and lapses at the first tick
 * that finds nothing outstanding, so an idle peer holds no timer a quarter period after its last call.
 *
 * A call the caller gave up on (timeout, abort) before any ACK still counts until its late ACK or answer:
 * a plugin whose event loop is stuck does not become responsive because its callers time out.
 */
export class ResponsivenessMonitor implements Disposable {
  readonly #tickMs: number;
  readonly #onDidChange: (responsive: boolean) => void;
  /** Calls sent while monitoring that were neither acknowledged nor answered, those given up on included. */
  #unacked = 0;
  /** Ids of the calls given up on locally before any ACK (a subset of `#unacked`). */
  readonly #abandoned = new Set<number>();
  /** A sign of life, or a call sent while none was outstanding, since the last tick. */
  #stirred = false;
  /** Ticks in a row that found calls outstanding and nothing stirred. */
  #quietTicks = 0;
  #timer: TimerHandle | undefined;
  #responsive = true;
  #disposed = false;
  readonly #tick = (): void => this.#onTick();

  constructor(unresponsiveMs: number, onDidChange: (responsive: boolean) => void) {
    this.#tickMs = Math.max(1, Math.round(unresponsiveMs / CHECKS));
    this.#onDidChange = onDidChange;
  }

  get responsive(): boolean {
    return this.#responsive;
  }

  /** Calls sent and not acknowledged yet (for tests and stats). */
  get unacknowledged(): number {
    return this.#unacked;
  }

  /** A call went out and is to be acknowledged. */
  sent(): void {
    if (this.#disposed || this.#unacked++ > 0) return;
    // The first call after none was outstanding: the watch starts now.
    if (this.#responsive) this.#watch();
  }

  /** The first ACK, RESULT or ERROR of an unacknowledged call in the call table: a sign of life. */
  acknowledged(): void {
    this.#unacked--;
    if (this.#responsive) {
      this.#stirred = true;
      return;
    }
    if (this.#disposed) return;
    this.#responsive = true;
    if (this.#unacked > 0) this.#watch();
    this.#onDidChange(true);
  }

  /** The caller gave up on unacknowledged call `id`: it counts until its late ACK or answer (`late`). */
  abandon(id: number): void {
    this.#abandoned.add(id);
  }

  /** An ACK, RESULT or ERROR for call `id`, which is no longer in the call table. */
  late(id: number): void {
    if (this.#abandoned.size > 0 && this.#abandoned.delete(id)) this.acknowledged();
  }

  /** Every call failed at once (the channel broke): nothing is outstanding any more. */
  clear(): void {
    this.#unacked = 0;
    this.#abandoned.clear();
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.clear();
  }

  /** Starts counting quiet time from now: a fresh timer, or the one still ticking told that life stirred. */
  #watch(): void {
    if (this.#timer !== undefined) {
      this.#stirred = true;
      return;
    }
    this.#stirred = false;
    this.#quietTicks = 0;
    this.#timer = this.#arm();
  }

  #onTick(): void {
    this.#timer = undefined;
    if (this.#disposed || !this.#responsive || this.#unacked === 0) return; // lapses
    if (this.#stirred) {
      this.#stirred = false;
      this.#quietTicks = 0;
    } else if (++this.#quietTicks >= CHECKS) {
      this.#responsive = false;
      this.#onDidChange(false);
      return;
    }
    this.#timer = this.#arm();
  }

  #arm(): TimerHandle {
    // Only a deadline guard: it must not keep the process alive.
    return setDeadlineTimer(this.#tick, this.#tickMs);
  }
}
