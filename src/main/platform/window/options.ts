import type { BrowserWindowConstructorOptions } from 'electron'

/** The command-line switch a support technician starts a packaged Guichet with to get DevTools. */
export const SUPPORT_SWITCH = '--guichet-support-devtools'

/**
 * DevTools reach `window.guichet` and so every channel: only in development, or in a packaged
 * build started on purpose with the support switch (someone with a shell on the desk already).
 */
export function devToolsAllowed(o: { packaged: boolean; argv: readonly string[] }): boolean {
  return !o.packaged || o.argv.includes(SUPPORT_SWITCH)
}

/**
 * The one place BrowserWindow options come from; a unit test holds every security flag here.
 * Sandbox on, isolation on, no Node in the page, one bundled preload, DevTools off by default.
 */
export function mainWindowOptions(preloadPath: string, opts: { devTools?: boolean } = {}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Guichet',
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: opts.devTools ?? false
    }
  }
}
