// xterm.js styles its DOM renderer with <style> elements it creates at run time. The page's CSP
// (`default-src 'self'`) refuses inline style elements, so those rules never apply and the terminal renders
// without its cell sizes and colours. This mirrors the text of every <style> element under `root` into a
// constructed stylesheet adopted by the document (CSSOM, which the CSP allows), and keeps it in step.
// Where inline styles are allowed (a development server) the same rules simply apply twice.

/** Starts mirroring; returns the function that stops it and removes the mirrored sheets. */
export function adoptInjectedStyles(root: Element): () => void {
  if (typeof CSSStyleSheet.prototype.replaceSync !== 'function' || !('adoptedStyleSheets' in document))
    return () => undefined;
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const adopt = (sheet: CSSStyleSheet): void => {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  };
  const drop = (sheet: CSSStyleSheet): void => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  };
  const sync = (): void => {
    for (const style of root.querySelectorAll('style')) {
      let sheet = sheets.get(style);
      if (sheet === undefined) {
        sheet = new CSSStyleSheet();
        sheets.set(style, sheet);
        adopt(sheet);
      }
      sheet.replaceSync(style.textContent);
    }
    for (const [style, sheet] of sheets) {
      if (!root.contains(style)) {
        sheets.delete(style);
        drop(sheet);
      }
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    for (const sheet of sheets.values()) drop(sheet);
    sheets.clear();
  };
}
