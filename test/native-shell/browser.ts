/** Stand-in for `@capacitor/browser` (same API shape as BrowserPlugin 8.0.4), driven by the native shell. */
import type { BrowserPlugin, OpenOptions } from '@capacitor/browser';

import { nativeShell } from './shell.ts';

export const Browser = {
  open: (options: OpenOptions) => nativeShell.open(options.url),
  close: () => nativeShell.close(),
  addListener: (eventName: 'browserFinished' | 'browserPageLoaded', listenerFunc: () => void) =>
    nativeShell.browser.add(eventName, listenerFunc),
  removeAllListeners: () => nativeShell.browser.removeAll(),
} satisfies BrowserPlugin;
