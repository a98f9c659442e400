import type { AppSettings } from './app-settings';

type IonicColor = AppSettings['brand']['primary']['light'];

function colorVariables(color: IonicColor): string {
  return [
    `--ion-color-primary: ${color.base};`,
    `--ion-color-primary-rgb: ${color.rgb};`,
    `--ion-color-primary-contrast: ${color.contrast};`,
    `--ion-color-primary-contrast-rgb: ${color.contrastRgb};`,
    `--ion-color-primary-shade: ${color.shade};`,
    `--ion-color-primary-tint: ${color.tint};`,
  ].join(' ');
}

/**
 * The brand's primary colour as Ionic's theme, light and dark (identity.config.json `brand`,
 * turned into Ionic's colour set at build time by scripts/gen-app-settings.mjs, which also made
 * sure button text on it reaches 4.5:1). One <style> element, added before the first screen;
 * after Ionic's own palettes in the document, so it wins over them at equal specificity.
 */
export function brandThemeCss(brand: AppSettings['brand']): string {
  return (
    `:root { ${colorVariables(brand.primary.light)} }\n` +
    `@media (prefers-color-scheme: dark) { :root { ${colorVariables(brand.primary.dark)} } }`
  );
}

export function applyBrandTheme(document: Document, brand: AppSettings['brand']): void {
  const style = document.getElementById('brand-theme') ?? document.head.appendChild(document.createElement('style'));
  style.id = 'brand-theme';
  style.textContent = brandThemeCss(brand);
}
