/**
 * Screenshots of the operations console for the README: the local stack with its demo data, in
 * Debian's Chromium, at a laptop's width and a phone's.
 *
 *   npx tsx scripts/screenshot-console.ts        # writes docs/images/console-*.png
 */
import { mkdir } from 'node:fs/promises';
import { Temporal } from 'temporal-polyfill';
import { launchChromium, startDemoStack } from '../test/browser/console-stack';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const OUT = 'docs/images';

const demo = await startDemoStack();
const browser = await launchChromium();
try {
  await mkdir(OUT, { recursive: true });
  const date = Temporal.Now.plainDateISO('UTC').add({ days: 29 }).toString();
  const shots = [
    { file: 'console-overview.png', path: '', width: 1280, height: 1000, full: false },
    {
      file: 'console-candidate.png',
      path: `/candidate?id=demo-chloe&date=${date}`,
      width: 1280,
      height: 2300,
      // A full-page capture leaves the preview's iframe blank: a tall viewport instead.
      full: false,
    },
    { file: 'console-runs.png', path: '/runs', width: 1280, height: 900, full: false },
    { file: 'console-phone.png', path: '', width: 375, height: 812, full: false },
  ];
  for (const shot of shots) {
    const page = await browser.newPage({
      viewport: { width: shot.width, height: shot.height },
      deviceScaleFactor: 1,
    });
    await page.goto(`${demo.consoleUrl}${shot.path}`, { waitUntil: 'load' });
    await page.waitForSelector('h1');
    await page.screenshot({ path: `${OUT}/${shot.file}`, fullPage: shot.full });
    process.stdout.write(`wrote ${OUT}/${shot.file}\n`);
    await page.close();
  }
} finally {
  await browser.close();
  await demo.stop();
}
