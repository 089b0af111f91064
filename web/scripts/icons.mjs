// Draws the app's icons (for the web app manifest and the home screen)
// from public/favicon.svg with Debian's Chromium: node scripts/icons.mjs.
// The PNGs are committed; run this again when the logo changes.
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const svg = await readFile(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage();
// Plain icons fill their square; maskable ones keep the logo inside the
// central 80% that every launcher's mask leaves visible, on the logo's colour.
const icons = [
  { name: 'icon-192.png', size: 192, scale: 1, background: 'transparent' },
  { name: 'icon-512.png', size: 512, scale: 1, background: 'transparent' },
  { name: 'icon-maskable-512.png', size: 512, scale: 0.8, background: '#7c4a1e' },
  { name: 'apple-touch-icon.png', size: 180, scale: 0.85, background: '#7c4a1e' },
];
for (const { name, size, scale, background } of icons) {
  await page.setViewportSize({ width: size, height: size });
  const inner = Math.round(size * scale);
  await page.setContent(
    `<html><body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:${background}">` +
      `<div style="width:${inner}px;height:${inner}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div></body></html>`,
  );
  await page.screenshot({ path: new URL(`../public/${name}`, import.meta.url).pathname, omitBackground: background === 'transparent' });
}
await browser.close();
