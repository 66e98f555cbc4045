import { describe, expect, it } from 'vitest';
import { CrashTracker, defaultRestartPolicy, resolveRestartPolicy } from './restart-policy.js';

describe('CrashTracker', () => {
  it('restarts with a doubling backoff, and gives up past the limit within the window (VS Code: 3 in 5 min)', () => {
    const tracker = new CrashTracker();
    const policy = defaultRestartPolicy;
    expect([0, 1000, 2000].map((t) => tracker.crashed(policy, t))).toEqual([500, 1000, 2000]);
    expect(tracker.crashed(policy, 3000)).toBeUndefined();
  });

  it('forgets crashes older than the window', () => {
    const tracker = new CrashTracker();
    const policy = resolveRestartPolicy({ maxCrashes: 1, windowMs: 1000 });
    expect(tracker.crashed(policy, 0)).toBe(500);
    expect(tracker.crashed(policy, 1500)).toBe(500);
    expect(tracker.crashed(policy, 1600)).toBeUndefined();
  });

  it('caps the backoff', () => {
    const tracker = new CrashTracker();
    const policy = resolveRestartPolicy({ maxCrashes: 100, backoffMs: 1000, maxBackoffMs: 3000 });
    const delays = Array.from({ length: 5 }, (_, i) => tracker.crashed(policy, i));
    expect(delays).toEqual([1000, 2000, 3000, 3000, 3000]);
  });

  it('starts afresh after reset (the user restarted it)', () => {
    const tracker = new CrashTracker();
    const policy = resolveRestartPolicy({ maxCrashes: 0 });
    expect(tracker.crashed(policy, 0)).toBeUndefined();
    tracker.reset();
    expect(tracker.recentCrashes).toBe(0);
  });

  it('rejects a nonsensical policy, naming the field', () => {
    expect(() => resolveRestartPolicy({ windowMs: -1 })).toThrow(/restartPolicy.windowMs/);
    expect(() => resolveRestartPolicy({ maxCrashes: Number.NaN })).toThrow(/maxCrashes/);
  });
});
