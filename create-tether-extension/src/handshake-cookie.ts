// A new project's magic cookie: the environment variable its host sets for the plugin, and a fresh random
// value. Not a secret ("an app that uses Tether started you", go-plugin's MagicCookie): a plugin run by hand,
// or by another app, says so and exits instead of waiting for a handshake that never comes.
import { randomBytes } from 'node:crypto';
import { COOKIE_BYTES, MAX_COOKIE_KEY_LENGTH } from './constants.js';

export interface HandshakeCookie {
  readonly cookieKey: string;
  readonly cookieValue: string;
}

/**
 * The cookie's variable name for a package: `@acme/my-counter` → `ACME_MY_COUNTER_PLUGIN` (an environment
 * variable name: letters, digits and "_", not starting with a digit; at most 128 characters).
 */
export function cookieKeyOf(packageName: string): string {
  let stem = packageName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (stem === '' || /^[0-9]/.test(stem)) stem = `EXT_${stem}`.replace(/_+$/, '');
  const suffix = '_PLUGIN';
  return `${stem.slice(0, MAX_COOKIE_KEY_LENGTH - suffix.length).replace(/_+$/, '')}${suffix}`;
}

/** A fresh cookie for `packageName`: its key, and random hex as its value. */
export function newHandshakeCookie(packageName: string): HandshakeCookie {
  return {
    cookieKey: cookieKeyOf(packageName),
    cookieValue: randomBytes(COOKIE_BYTES).toString('hex'),
  };
}
