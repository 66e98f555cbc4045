// The per-run token the host printed in the page's address (`/?token=…`): taken out of the address bar at
// once, so it is not left in the browser's history or shown to whoever looks at the screen, and kept in the
// tab's session storage, so a reload of the same tab still connects.

/** Where the tab keeps it (session storage: this tab only, gone when it closes). */
export const PAGE_TOKEN_KEY = 'tether.token';

export interface PageTokenPlace {
  readonly location: Pick<Location, 'href'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
}

/** The token: from the address (then removed from it) or, after a reload, from the tab's storage. */
export function takePageToken(place: PageTokenPlace): string {
  const url = new URL(place.location.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress === null) return place.storage?.getItem(PAGE_TOKEN_KEY) ?? '';
  try {
    place.storage?.setItem(PAGE_TOKEN_KEY, fromAddress);
  } catch {
    // Storage refused (a private window's quota): the page works, a reload will ask for the printed URL.
  }
  url.searchParams.delete('token');
  place.history.replaceState(place.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return fromAddress;
}
