/** Development build: dev tools (inspector, console transition log, window handle) are compiled in. */
export const devTools = true;
