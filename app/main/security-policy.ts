// What the app's renderer may do beyond showing its own page, decided here as plain functions (the Electron
// glue in electron/main-window.ts only asks them): nothing. Its pages come only from the trusted origins
// (app-origin.ts); it navigates nowhere else, opens no window, attaches no <webview>, is granted no
// permission, and the main process answers IPC only from their top frame. docs/security.md, "The Electron
// app", maps each of Electron's checklist items to these.
import { originOf } from './app-origin.js';

/** The frame an IPC message came from: Electron's `WebFrameMain` has these two properties. */
export interface SenderFrame {
  readonly url: string;
  /** The parent frame; null for a top frame. */
  readonly parent: unknown;
}

/**
 * True when an IPC message may be answered: it came from a top frame (never an iframe) whose page is one of
 * `origins` (Electron's checklist 17: validate the sender of all IPC messages). A missing frame (it
 * navigated or was destroyed before the message was handled) is not trusted.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, origins: readonly string[]): boolean {
  if (frame === null || frame === undefined || frame.parent !== null) return false;
  const origin = originOf(frame.url);
  return origin !== undefined && origins.includes(origin);
}

/**
 * True when the page may navigate to `url` (`will-navigate`, `will-frame-navigate`, `will-redirect`): only
 * within its own origin (a page of the UI bundle). Anything else — a link, a dropped file, a redirect to
 * the web — is refused (checklist 13).
 */
export function isAllowedNavigation(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== undefined && origins.includes(origin);
}

/**
 * True for a page of Chromium's DevTools (`devtools://`), which is not the app's page and is left to
 * navigate its own frames: it loads the Tether panel (a `chrome-extension://` page) that way in development.
 * Every other page is held to {@link isAllowedNavigation}.
 */
export function isDevToolsPage(pageUrl: string): boolean {
  return pageUrl.startsWith('devtools://');
}

/**
 * Permissions the UI needs, granted to its own pages only. None: the UI uses no camera, microphone,
 * notifications, clipboard API, geolocation, MIDI, HID, serial, USB or fullscreen; adding one here is a
 * reviewed decision (checklist 5).
 */
export const GRANTED_PERMISSIONS: readonly string[] = [];

/**
 * Whether to grant `permission` asked by a page at `requestingUrl` (both `setPermissionRequestHandler` and
 * `setPermissionCheckHandler` ask this): only a permission in `granted`, and only to a trusted origin.
 * Everything else is denied — by default, Electron grants every request.
 */
export function permissionDecision(
  permission: string,
  requestingUrl: string | undefined,
  origins: readonly string[],
  granted: readonly string[] = GRANTED_PERMISSIONS,
): boolean {
  if (!granted.includes(permission)) return false;
  const origin = originOf(requestingUrl);
  return origin !== undefined && origins.includes(origin);
}

/** The answer to every `window.open` and `target="_blank"` link: no new window (checklist 14). */
export const windowOpenRefusal = { action: 'deny' } as const;
