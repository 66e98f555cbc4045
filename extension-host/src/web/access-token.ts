// The web host's per-run access token: what a browser UI proves it was given (in the URL printed to the
// user) when it opens the WebSocket. Anything else that reaches 127.0.0.1 — another local user's process, a
// web page in the same browser — does not have it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { WEB_UI_TOKEN_BYTES } from '../constants.js';

/** A fresh random token: {@link WEB_UI_TOKEN_BYTES} bytes, base64url (URL-safe, no padding). */
export function newAccessToken(): string {
  return randomBytes(WEB_UI_TOKEN_BYTES).toString('base64url');
}

/**
 * Whether `given` is `expected`, in time that does not depend on where they differ (nor on the length of
 * `given`): both are hashed first, so `timingSafeEqual` always compares 32 bytes.
 */
export function accessTokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given === '') return false;
  return timingSafeEqual(sha256(given), sha256(expected));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
