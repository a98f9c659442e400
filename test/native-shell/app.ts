/** Stand-in for `@capacitor/app` (same API shape as AppPlugin 8.1.1), driven by the native shell. */
import type { AppPlugin } from '@capacitor/app';
import type { PluginListenerHandle } from '@capacitor/core';

import { nativeShell } from './shell.ts';

const addListener = (eventName: string, listenerFunc: (data: never) => void): Promise<PluginListenerHandle> =>
  nativeShell.app.add(eventName, listenerFunc as (data: unknown) => void);

export const App = {
  exitApp: async () => undefined,
  getInfo: async () => ({ name: 'Bookstore', id: 'com.example.app', build: '1', version: '0.1.0' }),
  getState: async () => ({ isActive: true }),
  getLaunchUrl: () => nativeShell.getLaunchUrl(),
  minimizeApp: async () => undefined,
  getAppLanguage: async () => ({ value: 'en' }),
  toggleBackButtonHandler: async () => undefined,
  addListener: addListener as AppPlugin['addListener'],
  removeAllListeners: () => nativeShell.app.removeAll(),
} satisfies AppPlugin;
