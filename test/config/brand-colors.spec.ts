/**
 * The brand's primary colours (identity.config.json `brand`) become Ionic's theme at build time
 * with WCAG AA contrast for text on buttons and for the colour as text on the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// @ts-expect-error -- a plain .mjs build script without type declarations
import { channels, contrast, ionicColor } from '../../scripts/brand-colors.mjs';

const root = join(import.meta.dirname, '../..');
const identity = JSON.parse(readFileSync(join(root, 'identity.config.json'), 'utf8'));
const ratio = (a: string, b: string): number => contrast(channels(a), channels(b));

describe('brand colours as the app theme', () => {
  it("keeps this project's colours: they already pass (white on #3451c9, black on #9db4ff)", () => {
    const light = ionicColor(identity.brand.primaryColor, 'light');
    const dark = ionicColor(identity.brand.primaryColorDark, 'dark');
    expect(light).toMatchObject({ base: identity.brand.primaryColor, adjusted: false, contrast: '#ffffff' });
    expect(dark).toMatchObject({ base: identity.brand.primaryColorDark, adjusted: false, contrast: '#000000' });
    expect(ratio(light.base, light.contrast)).toBeGreaterThanOrEqual(4.5);
    expect(ratio(dark.base, dark.contrast)).toBeGreaterThanOrEqual(4.5);
  });

  it('darkens a light-scheme colour too pale for text on white, and lightens a dark-scheme colour too dim on #121212', () => {
    const pale = ionicColor('#ffcc00', 'light'); // yellow: black text passes on it, but it is unreadable as text on white
    expect(pale.adjusted).toBe(true);
    expect(ratio(pale.base, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(ratio(pale.base, pale.contrast)).toBeGreaterThanOrEqual(4.5);

    const dim = ionicColor('#3451c9', 'dark'); // the light brand colour used on a dark page
    expect(dim.adjusted).toBe(true);
    expect(ratio(dim.base, '#121212')).toBeGreaterThanOrEqual(4.5);
    expect(ratio(dim.base, dim.contrast)).toBeGreaterThanOrEqual(4.5);
  });

  it('gives Ionic every variable it needs', () => {
    expect(Object.keys(ionicColor('#3451c9', 'light')).sort()).toEqual(
      ['adjusted', 'base', 'contrast', 'contrastRatio', 'contrastRgb', 'rgb', 'shade', 'tint'].sort(),
    );
  });

  it('refuses a colour that is not #rrggbb, naming it', () => {
    expect(() => ionicColor('blue', 'light')).toThrow(/brand colour "blue"/);
  });
});
