import { describe, expect, it } from 'vitest';
import { cookieKeyOf, newHandshakeCookie } from './handshake-cookie.js';

/** What a manifest's tether.handshake.cookieKey must be: an environment variable name. */
const environmentVariableName = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

describe('cookieKeyOf', () => {
  it.each([
    ['my-counter', 'MY_COUNTER_PLUGIN'],
    ['@acme/my-counter', 'ACME_MY_COUNTER_PLUGIN'],
    ['01-greeter', 'EXT_01_GREETER_PLUGIN'],
    ['a.b_c', 'A_B_C_PLUGIN'],
  ])('%j → %j', (name, key) => {
    expect(cookieKeyOf(name)).toBe(key);
  });

  it('stays an environment variable name of at most 128 characters for the longest names', () => {
    for (const name of ['x'.repeat(214), `@${'a'.repeat(100)}/${'b'.repeat(100)}`, `${'9'.repeat(150)}-x`]) {
      const key = cookieKeyOf(name);
      expect(key).toMatch(environmentVariableName);
      expect(key.endsWith('_PLUGIN')).toBe(true);
    }
  });
});

describe('newHandshakeCookie', () => {
  it('is fresh every time: 32 random hex digits', () => {
    const first = newHandshakeCookie('my-counter');
    const second = newHandshakeCookie('my-counter');
    expect(first.cookieKey).toBe('MY_COUNTER_PLUGIN');
    expect(first.cookieValue).toMatch(/^[0-9a-f]{32}$/);
    expect(second.cookieValue).not.toBe(first.cookieValue);
  });
});
