import { bootstrapApplication } from '@angular/platform-browser';

import { App } from './app/app';
import { appConfig } from './app/app.config';

bootstrapApplication(App, appConfig).catch((error: unknown) => {
  // Bootstrap failed before any screen exists: show something rather than a blank page.
  console.error(error);
  document.body.textContent = 'The app could not start. Please reload.';
});
