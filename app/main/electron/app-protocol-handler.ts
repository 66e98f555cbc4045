// Electron glue: the app:// scheme, registered as a standard, secure scheme (so its pages have an origin,
// `app://tether`, and relative URLs, cookies-free storage and fetch work as on https:), and answered from
// the UI bundle by AppProtocolFiles (the decisions: ../app-protocol.ts).
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME } from '../app-origin.js';
import { AppProtocolFiles } from '../app-protocol.js';

/** Registers the scheme; must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // corsEnabled: Vite's module scripts carry `crossorigin`, so they are fetched in CORS mode (from the
      // page's own origin; no response of ours allows another origin).
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

/** Serves the UI bundle in `folder` as app://tether/ (after the app is ready). */
export async function serveAppProtocol(folder: string): Promise<void> {
  const files = await AppProtocolFiles.open(folder);
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = await files.answer(request.url, request.method);
    const body =
      answer.file === undefined
        ? (answer.text ?? null)
        : request.method === 'HEAD'
          ? null
          : new Uint8Array(await readFile(answer.file));
    return new Response(body, { status: answer.status, headers: answer.headers });
  });
}
