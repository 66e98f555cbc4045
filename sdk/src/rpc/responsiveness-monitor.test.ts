// The caller's side of acknowledgements on a fake clock: when a peer counts as unresponsive, and that an idle
// peer holds no timer.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResponsivenessMonitor } from './responsiveness-monitor.js';

const MS = 1000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function monitor() {
  const changes: boolean[] = [];
  const watched = new ResponsivenessMonitor(MS, (responsive) => changes.push(responsive));
  return { monitor: watched, changes };
}

describe('ResponsivenessMonitor', () => {
  it('holds no timer before the first call, and none once an idle period has passed', () => {
    const { monitor: watched, changes } = monitor();
    expect(vi.getTimerCount()).toBe(0);
    for (let i = 0; i < 100; i++) {
      watched.sent();
      watched.acknowledged();
    }
    expect(vi.getTimerCount()).toBe(1); // one for all of them, not one per call
    vi.advanceTimersByTime(MS);
    expect(vi.getTimerCount()).toBe(0);
    expect(changes).toEqual([]);
    expect(watched.responsive).toBe(true);
  });

  it('is unresponsive when a call stays unacknowledged for the whole time, and responsive at the next sign of life', () => {
    const { monitor: watched, changes } = monitor();
    watched.sent();
    vi.advanceTimersByTime(MS - 1);
    expect(changes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(changes).toEqual([false]);
    expect(watched.responsive).toBe(false);
    expect(vi.getTimerCount()).toBe(0); // nothing to check while unresponsive
    watched.sent(); // more calls change nothing until the peer shows life
    watched.acknowledged();
    expect(changes).toEqual([false, true]);
    // One call is still unacknowledged: the watch starts again from this sign of life.
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(MS);
    expect(changes).toEqual([false, true, false]);
  });

  it('counts from the last sign of life while calls stay outstanding, flagging within 1.25 × the time', () => {
    const { monitor: watched, changes } = monitor();
    watched.sent();
    watched.sent();
    vi.advanceTimersByTime(MS / 2);
    watched.acknowledged(); // one of the two: the other stays outstanding
    vi.advanceTimersByTime(MS - 1);
    expect(changes).toEqual([]); // the peer showed life less than the unresponsive time ago
    vi.advanceTimersByTime(MS / 4 + 1);
    expect(changes).toEqual([false]);
  });

  it('ticks four times per unresponsive time while calls are outstanding, and lapses when none are', () => {
    const { monitor: watched } = monitor();
    watched.sent();
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(MS / 4);
      watched.sent();
      watched.acknowledged(); // busy: calls come and go, one stays outstanding
      expect(vi.getTimerCount()).toBe(1);
    }
    watched.acknowledged(); // the last one
    vi.advanceTimersByTime(MS / 4);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('measures a call sent after an idle spell from when it was sent', () => {
    const { monitor: watched, changes } = monitor();
    watched.sent();
    watched.acknowledged();
    vi.advanceTimersByTime(MS * 5);
    watched.sent();
    vi.advanceTimersByTime(MS - 1);
    expect(changes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(changes).toEqual([false]);
  });

  it('counts a call given up on until its late ACK or answer', () => {
    const { monitor: watched, changes } = monitor();
    watched.sent();
    watched.abandon(7);
    watched.late(8); // not that one
    expect(watched.unacknowledged).toBe(1);
    vi.advanceTimersByTime(MS);
    expect(changes).toEqual([false]);
    watched.late(7);
    expect(changes).toEqual([false, true]);
    expect(watched.unacknowledged).toBe(0);
    watched.late(7); // once only
    expect(watched.unacknowledged).toBe(0);
  });

  it('holds nothing after dispose and fires nothing more', () => {
    const { monitor: watched, changes } = monitor();
    watched.sent();
    watched.abandon(1);
    watched.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(watched.unacknowledged).toBe(0);
    watched.sent();
    expect(watched.unacknowledged).toBe(0);
    vi.advanceTimersByTime(MS * 2);
    expect(changes).toEqual([]);
  });
});
