// make bench-web: Lighthouse's mobile preset on the reader's main pages,
// served by the real binary, in Debian's Chromium. It prints each page's
// scores, saves the reports under test-results/, and fails when a page is
// below the targets of the reader web app issue.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumPath, resultsDir, startServer, type Server } from '../e2e/harness';

const targets: Record<string, number> = { performance: 90, accessibility: 95, 'best-practices': 95 };

let server: Server;
let chrome: chromeLauncher.LaunchedChrome;

beforeAll(async () => {
  server = await startServer();
  chrome = await chromeLauncher.launch({
    chromePath: chromiumPath,
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  // A reader who follows a plan, signed in in this browser (the refresh
  // cookie), so that Today opens signed in.
  const who = { email: 'bench@example.org', password: 'a calm and patient breath', display_name: 'Bench' };
  const registered = await fetch(`${server.url}/v1/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(who),
  });
  if (!registered.ok) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  const { access_token: token } = (await registered.json()) as { access_token: string };
  const enrolled = await fetch(`${server.url}/v1/enrollments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ plan: 'a-week-of-loving-kindness' }),
  });
  if (!enrolled.ok) throw new Error(`enrol: ${enrolled.status} ${await enrolled.text()}`);
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
  const page = await browser.newPage();
  await page.goto(server.url);
  const status = await page.evaluate(async (body) => {
    const res = await fetch('/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    return res.status;
  }, JSON.stringify({ email: who.email, password: who.password }));
  if (status !== 200) throw new Error(`sign-in in the browser: ${status}`);
  await page.close();
  await browser.disconnect();
});

afterAll(async () => {
  chrome?.kill();
  await server?.stop();
});

const pages = { discover: '/', plan: '/plans/a-week-of-loving-kindness', today: '/today' };

it.each(Object.entries(pages))('%s meets the targets on the mobile preset', async (name, path) => {
  const result = await lighthouse(`${server.url}${path}`, {
    port: chrome.port,
    output: 'html',
    logLevel: 'error',
    onlyCategories: Object.keys(targets),
    disableStorageReset: true, // keeps the refresh cookie
  });
  if (!result) throw new Error('Lighthouse gave no result');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, `lighthouse-${name}.html`), result.report as string);
  const scores = Object.fromEntries(
    Object.keys(targets).map((c) => [c, Math.round((result.lhr.categories[c]?.score ?? 0) * 100)]),
  );
  console.log(`${name.padEnd(10)} ${Object.entries(scores).map(([c, s]) => `${c} ${s}`).join(', ')}  (${path})`);
  const below = Object.entries(scores).filter(([c, s]) => s < targets[c]!).map(([c, s]) => `${c} ${s} < ${targets[c]}`);
  expect(below, `${name}: see test-results/lighthouse-${name}.html`).toEqual([]);
});
