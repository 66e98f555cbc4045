// The extension's devtools_page (devtools.html): Chrome (or Electron) loads it in every DevTools window it
// opens, and it adds the "Tether" panel next to Console and Network. The panel's page (panel.html,
// src/panel.tsx) does the rest.
import { DEVTOOLS_PANEL_PAGE, DEVTOOLS_PANEL_TITLE } from '../constants.js';

/** The one call of the `chrome.devtools` API this page makes (no @types/chrome for one call). */
declare const chrome: {
  readonly devtools: {
    readonly panels: {
      create(title: string, iconPath: string, pagePath: string, callback?: (panel: object) => void): void;
    };
  };
};

// No icon: DevTools shows extension panels by title only.
chrome.devtools.panels.create(DEVTOOLS_PANEL_TITLE, '', DEVTOOLS_PANEL_PAGE, () => {
  // Says the panel is registered, for whoever looks at this page (a test, through the DevTools protocol).
  document.documentElement.dataset['tetherPanel'] = 'created';
});
