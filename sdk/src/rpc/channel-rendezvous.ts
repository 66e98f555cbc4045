import { deferred, type Deferred } from '../common/deferred.js';
import { setDeadlineTimer, type TimerHandle } from '../common/timers.js';
import { TetherError } from '../errors/tether-error.js';
import type { MuxSession } from '../mux/mux-session.js';
import type { MuxChannel } from '../mux/mux-types.js';

/**
 * Meeting point for channels named by a key: one side `open(key)`s, the other `accept(key)`s, in either
 * order. A channel that arrives before anyone accepts it is held paused (nothing is lost) until accepted
 * or until the claim timeout resets it. Used by the broker ('broker:<id>') and comlink endpoints.
 */
export class ChannelRendezvous<T> {
  readonly #session: MuxSession;
  readonly #prefix: string;
  readonly #wrap: (channel: MuxChannel) => T;
  readonly #timeoutMs: number;
  readonly #waiting = new Map<string, { pending: Deferred<T>; timer: TimerHandle | undefined }>();
  readonly #arrived = new Map<string, { channel: MuxChannel; timer: TimerHandle }>();
  #closedReason: Error | undefined;

  constructor(session: MuxSession, prefix: string, wrap: (channel: MuxChannel) => T, timeoutMs: number) {
    this.#session = session;
    this.#prefix = prefix;
    this.#wrap = wrap;
    this.#timeoutMs = timeoutMs;
  }

  open(key: string): T {
    if (this.#closedReason !== undefined) throw this.#closedReason;
    return this.#wrap(this.#session.openChannel(`${this.#prefix}${key}`));
  }

  accept(key: string, timeoutMs = this.#timeoutMs): Promise<T> {
    if (this.#closedReason !== undefined) return Promise.reject(this.#closedReason);
    const arrived = this.#arrived.get(key);
    if (arrived !== undefined) {
      this.#arrived.delete(key);
      clearTimeout(arrived.timer);
      return Promise.resolve(this.#wrap(arrived.channel));
    }
    if (this.#waiting.has(key)) {
      return Promise.reject(
        new TetherError('BROKER_ERROR', `Channel "${this.#prefix}${key}" is already being accepted.`),
      );
    }
    const pending = deferred<T>();
    const timer =
      timeoutMs > 0
        ? setDeadlineTimer(() => {
            this.#waiting.delete(key);
            pending.reject(
              new TetherError(
                'TIMEOUT',
                `The peer did not open channel "${this.#prefix}${key}" within ${timeoutMs} ms; check that the other side opens it.`,
              ),
            );
          }, timeoutMs)
        : undefined;
    this.#waiting.set(key, { pending, timer });
    return pending.promise;
  }

  /** A channel the peer opened whose label starts with this rendezvous' prefix. */
  handleChannel(channel: MuxChannel, valid: (key: string) => boolean = () => true): void {
    const key = channel.label.slice(this.#prefix.length);
    if (!valid(key) || this.#arrived.has(key)) {
      channel.reset(`invalid or duplicate channel label ${JSON.stringify(channel.label)}`);
      return;
    }
    const waiting = this.#waiting.get(key);
    if (waiting !== undefined) {
      this.#waiting.delete(key);
      clearTimeout(waiting.timer);
      waiting.pending.resolve(this.#wrap(channel));
      return;
    }
    channel.pause();
    const timer = setDeadlineTimer(() => {
      this.#arrived.delete(key);
      channel.reset(`nobody accepted channel ${JSON.stringify(channel.label)}`);
    }, this.#timeoutMs);
    this.#arrived.set(key, { channel, timer });
  }

  /** Rejects pending accepts and resets unclaimed channels (the connection closed). */
  close(reason: Error): void {
    this.#closedReason = reason;
    for (const { pending, timer } of this.#waiting.values()) {
      clearTimeout(timer);
      pending.reject(reason);
    }
    this.#waiting.clear();
    for (const { channel, timer } of this.#arrived.values()) {
      clearTimeout(timer);
      channel.reset('connection closed');
    }
    this.#arrived.clear();
  }
}
