// xterm.js styles its DOM renderer with <style> elements it creates at run time (cell sizes, theme, scroll
// bar). The page's CSP (`default-src 'self'`) refuses inline styles: those rules would not apply, and
// Chromium would report a violation for each. While a terminal is open, `document.createElement('style')`
// makes an inert <tether-style> element instead (hidden, never parsed as CSS, so nothing is refused); its
// text is mirrored into a constructed stylesheet adopted by the document — CSSOM, which the CSP allows.

/** The tag the inert elements get (a valid custom-element name; app.css hides it). */
export const INERT_STYLE_TAG = 'tether-style';

let patches = 0;

/** While patched, `document` has its own `createElement`, shadowing Document.prototype's. */
function patchCreateElement(): void {
  if (patches++ > 0) return;
  const original = document.createElement.bind(document);
  Object.defineProperty(document, 'createElement', {
    configurable: true,
    writable: true,
    value: (tagName: string, options?: ElementCreationOptions): HTMLElement =>
      original(tagName.toLowerCase() === 'style' ? INERT_STYLE_TAG : tagName, options),
  });
}

function unpatchCreateElement(): void {
  if (--patches > 0) return;
  Reflect.deleteProperty(document, 'createElement');
}

/**
 * Call before the terminal is created under `root`; returns the function that undoes it (after the terminal
 * is disposed).
 */
export function containStyles(root: Element): () => void {
  patchCreateElement();
  const sheets = new Map<Element, CSSStyleSheet>();
  const sync = (): void => {
    for (const element of root.querySelectorAll(`${INERT_STYLE_TAG}, style`)) {
      let sheet = sheets.get(element);
      if (sheet === undefined) {
        sheet = new CSSStyleSheet();
        sheets.set(element, sheet);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      sheet.replaceSync(element.textContent);
    }
    for (const [element, sheet] of sheets) {
      if (root.contains(element)) continue;
      sheets.delete(element);
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    observer.disconnect();
    const dropped = new Set(sheets.values());
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !dropped.has(s));
    sheets.clear();
    unpatchCreateElement();
  };
}
