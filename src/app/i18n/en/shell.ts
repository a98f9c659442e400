/** The shell's texts (app.ts): the only English the initial bundle carries, so that the notice for a screen whose code could not load reads right offline. */
export const shellEn = {
  'shell.chunkFailed.title': 'This screen could not load',
  'shell.chunkFailed.message': "Check your internet connection. It will load by itself when you're back online.",
  'shell.chunkFailed.retry': 'Retry',
  'shell.chunkFailed.retrying': 'Trying again…',
} as const;
