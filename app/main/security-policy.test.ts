// The Electron app's security decisions, as functions (Electron's checklist 5, 13, 14, 17).
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, originOf, trustedOrigins } from './app-origin.js';
import {
  GRANTED_PERMISSIONS,
  isAllowedNavigation,
  isDevToolsPage,
  isTrustedSender,
  permissionDecision,
  windowOpenRefusal,
} from './security-policy.js';

const packaged = trustedOrigins(undefined);
const development = trustedOrigins('http://localhost:5173/');

describe('the trusted origins', () => {
  it('are app://tether, and the dev server only on the loopback interface over http', () => {
    expect(packaged).toEqual([APP_ORIGIN]);
    expect(development).toEqual([APP_ORIGIN, 'http://localhost:5173']);
    expect(trustedOrigins('http://127.0.0.1:5173')).toContain('http://127.0.0.1:5173');
    expect(trustedOrigins('http://example.com:5173/')).toEqual([APP_ORIGIN]);
    expect(trustedOrigins('https://localhost:5173/')).toEqual([APP_ORIGIN]);
    expect(trustedOrigins('not a url')).toEqual([APP_ORIGIN]);
  });

  it('are compared as scheme://host[:port], not by prefix', () => {
    expect(originOf('app://tether/index.html')).toBe('app://tether');
    expect(originOf('app://tether.evil.example/index.html')).toBe('app://tether.evil.example');
    expect(originOf('app://user:pass@tether/')).toBeUndefined();
    expect(originOf('file:///etc/passwd')).toBeUndefined();
    expect(originOf('about:blank')).toBeUndefined();
    expect(originOf(undefined)).toBeUndefined();
  });
});

describe('isTrustedSender (checklist 17)', () => {
  const top = (url: string) => ({ url, parent: null });
  it('trusts only the top frame of an app page', () => {
    expect(isTrustedSender(top('app://tether/index.html'), packaged)).toBe(true);
    expect(isTrustedSender(top('app://tether/'), packaged)).toBe(true);
  });

  it('refuses an iframe, another origin, a frame that is gone, and the dev server once packaged', () => {
    expect(isTrustedSender({ url: 'app://tether/index.html', parent: {} }, packaged)).toBe(false);
    expect(isTrustedSender(top('https://example.com/'), packaged)).toBe(false);
    expect(isTrustedSender(top('app://tether.example.com/'), packaged)).toBe(false);
    expect(isTrustedSender(top('file:///app/index.html'), packaged)).toBe(false);
    expect(isTrustedSender(top('about:blank'), packaged)).toBe(false);
    expect(isTrustedSender(top(''), packaged)).toBe(false);
    expect(isTrustedSender(null, packaged)).toBe(false);
    expect(isTrustedSender(undefined, packaged)).toBe(false);
    expect(isTrustedSender(top('http://localhost:5173/'), packaged)).toBe(false);
    expect(isTrustedSender(top('http://localhost:5173/'), development)).toBe(true);
  });
});

describe('isAllowedNavigation (checklist 13)', () => {
  it('keeps the page within its own origin', () => {
    expect(isAllowedNavigation('app://tether/index.html', packaged)).toBe(true);
    expect(isAllowedNavigation('app://tether/index.html#logs', packaged)).toBe(true);
  });

  it('refuses the web, files, other schemes and look-alike hosts', () => {
    for (const url of [
      'https://example.com/',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'app://tether.example.com/',
      'app://evil/',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url, packaged), url).toBe(false);
    }
  });
});

describe('isDevToolsPage', () => {
  it('is Chromium’s DevTools only, which loads the Tether panel into its own frames', () => {
    expect(isDevToolsPage('devtools://devtools/bundled/devtools_app.html')).toBe(true);
    expect(isDevToolsPage('app://tether/index.html')).toBe(false);
    expect(isDevToolsPage('chrome-extension://abc/panel.html')).toBe(false);
    expect(isDevToolsPage('https://devtools.example/')).toBe(false);
  });
});

describe('permissionDecision (checklist 5)', () => {
  it('denies every permission by default, to the app itself too', () => {
    expect(GRANTED_PERMISSIONS).toEqual([]);
    for (const permission of [
      'media',
      'notifications',
      'clipboard-read',
      'geolocation',
      'openExternal',
      'unknown',
    ]) {
      expect(permissionDecision(permission, 'app://tether/index.html', packaged), permission).toBe(false);
    }
  });

  it('grants a listed permission only to a trusted origin', () => {
    const granted = ['fullscreen'];
    expect(permissionDecision('fullscreen', 'app://tether/', packaged, granted)).toBe(true);
    expect(permissionDecision('fullscreen', 'app://tether', packaged, granted)).toBe(true);
    expect(permissionDecision('fullscreen', 'https://example.com/', packaged, granted)).toBe(false);
    expect(permissionDecision('fullscreen', undefined, packaged, granted)).toBe(false);
    expect(permissionDecision('media', 'app://tether/', packaged, granted)).toBe(false);
  });
});

describe('window.open (checklist 14)', () => {
  it('is always denied', () => {
    expect(windowOpenRefusal).toEqual({ action: 'deny' });
  });
});
