import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('resolves with the first truthy value, checking at once and then on every turn', async () => {
    let checks = 0;
    const value = await waitFor(() => (++checks === 3 ? { found: checks } : undefined), {
      what: 'the third check',
      intervalMs: 0,
    });
    expect(value).toEqual({ found: 3 });
    expect(await waitFor(() => 'at once', { what: 'nothing' })).toBe('at once');
  });

  it('awaits async conditions', async () => {
    let n = 0;
    await expect(waitFor(() => Promise.resolve(++n >= 2), { what: 'two checks' })).resolves.toBe(true);
  });

  it('fails after the deadline saying what it waited for', async () => {
    await expect(waitFor(() => false, { what: 'the moon to turn blue', timeoutMs: 30 })).rejects.toThrow(
      /^timed out after \d+ ms waiting for the moon to turn blue$/,
    );
    let checks = 0;
    const counted = waitFor(() => ++checks < 0, {
      what: () => `the count to go negative (${checks})`,
      timeoutMs: 30,
    });
    await expect(counted).rejects.toThrow(/waiting for the count to go negative \(\d+\)$/);
  });

  it('treats a throwing check as not yet met and reports its last error', async () => {
    let n = 0;
    expect(
      await waitFor(
        () => {
          expect(++n).toBe(3);
          return true;
        },
        { what: 'n to reach 3', intervalMs: 0 },
      ),
    ).toBe(true);
    const failure = waitFor(
      () => {
        throw new Error('still 2');
      },
      { what: 'never', timeoutMs: 30 },
    );
    await expect(failure).rejects.toThrow(/waiting for never \(last check threw: still 2\)/);
    await expect(failure).rejects.toMatchObject({ cause: new Error('still 2') });
  });
});
