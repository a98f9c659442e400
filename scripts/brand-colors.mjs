// The brand's primary colour as Ionic's colour set (base, shade, tint, text colour on it), read by
// scripts/gen-app-settings.mjs. WCAG AA (4.5:1) both ways the app uses the colour: text on a
// primary button (white or black, whichever contrasts more) and the colour as text on the page
// (links, outline and clear buttons: on white in the light scheme, on Ionic's #121212 in the dark
// one). When either falls short the colour is darkened (light) or lightened (dark) in small steps
// until both pass; `adjusted` says so and the build warns.
export function channels(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex ?? '');
  if (!m) throw new Error(`brand colour "${hex}" in identity.config.json is not a #rrggbb colour.`);
  return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
}
const toHex = (rgb) =>
  '#' +
  rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('');
function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
const mix = (rgb, target, amount) => rgb.map((c, i) => c + (target[i] - c) * amount);
const WHITE = [255, 255, 255];
const INK = [0, 0, 0];
/** Ionic's dark palette's page background. */
const DARK_PAGE = [0x12, 0x12, 0x12];

export function ionicColor(hex, scheme) {
  let rgb = channels(hex);
  const best = (color) => (contrast(color, WHITE) >= contrast(color, INK) ? WHITE : INK);
  let steps = 0;
  const page = scheme === 'dark' ? DARK_PAGE : WHITE;
  while ((contrast(rgb, best(rgb)) < 4.5 || contrast(rgb, page) < 4.5) && steps < 40) {
    rgb = mix(rgb, scheme === 'dark' ? WHITE : INK, 0.06);
    steps++;
  }
  const text = best(rgb);
  const base = toHex(rgb);
  return {
    base,
    adjusted: base.toLowerCase() !== hex.toLowerCase(),
    contrastRatio: Math.round(contrast(rgb, text) * 100) / 100,
    rgb: rgb.map(Math.round).join(', '),
    contrast: toHex(text),
    contrastRgb: text.join(', '),
    shade: toHex(mix(rgb, INK, 0.12)),
    tint: toHex(mix(rgb, WHITE, 0.1)),
  };
}
