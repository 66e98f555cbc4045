// The page's token leaves the address bar and survives a reload of the same tab.
import { describe, expect, it } from 'vitest';
import { PAGE_TOKEN_KEY, takePageToken } from './page-token.js';

function tab(href: string) {
  const stored = new Map<string, string>();
  const place = {
    location: { href },
    history: {
      state: null,
      replaceState: (_state: unknown, _title: string, next: string) => {
        place.location = { href: new URL(next, place.location.href).href };
      },
    },
    storage: {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    },
  };
  return { place, stored };
}

describe('takePageToken', () => {
  it('takes the token out of the address, keeps the rest, and remembers it for a reload', () => {
    const { place, stored } = tab('http://127.0.0.1:4100/?view=logs&token=s3cr%2Bt#x');
    expect(takePageToken(place)).toBe('s3cr+t');
    expect(place.location.href).toBe('http://127.0.0.1:4100/?view=logs#x');
    expect(stored.get(PAGE_TOKEN_KEY)).toBe('s3cr+t');
    // The reload: no token in the address any more.
    expect(takePageToken(place)).toBe('s3cr+t');
  });

  it('gives an empty token when there is none anywhere (the host will refuse the socket)', () => {
    const { place } = tab('http://127.0.0.1:4100/');
    expect(takePageToken(place)).toBe('');
    expect(takePageToken({ ...place, storage: undefined })).toBe('');
  });
});
