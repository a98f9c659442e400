// Temporary (not committed): when does the initial JS arrive, per index.html variant (no session; sign-in page).
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../e2e/support/chromium';
import { startStaticServer } from '../e2e/support/static-server';
const variants = process.env.VARIANTS!.split(',');
let current = variants[0];
const server = await startStaticServer(() => current);
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
const results: Record<string, number[][]> = {};
for (let round = 0; round < Number(process.env.ROUNDS ?? 10); round++) {
  for (const v of round % 2 ? variants : [...variants].reverse()) {
    current = v;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(`http://localhost:${server.port}/`, { waitUntil: 'load' });
    const t = await page.evaluate(() => {
      const r = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const js = r.filter((e) => e.name.endsWith('.js'));
      const css = r.find((e) => e.name.endsWith('.css'))!;
      const main = js.find((e) => /main-/.test(e.name))!;
      return [Math.round(css.responseEnd), Math.round(Math.min(...js.map((e) => e.startTime))), Math.round(main.responseEnd)];
    });
    if (round > 0) (results[v] ??= []).push(t);
    await context.close();
  }
}
await browser.close();
await server.close();
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [v, rows] of Object.entries(results)) console.log(v, 'css end', med(rows.map((r) => r[0])), 'first js start', med(rows.map((r) => r[1])), 'main end', med(rows.map((r) => r[2])), 'js-after-css', med(rows.map((r) => r[1] - r[0])));
