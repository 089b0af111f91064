// The reader's main path, as a person walks it: sign up, find a plan by
// searching "metta", start it, read today and tick everything, see the
// streak, and find the same state on another device; then a forgotten
// password through the mail outbox. Each main page is looked at on a
// phone and a desktop (screenshots) and checked with axe.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, launchBrowser, newDevice, screenshot, seriousViolations, startServer, type Server } from './harness';

const skip = cannotRun();
const password = 'a calm and patient breath';

/** Looks at the page: no serious accessibility problem, and a screenshot for people. */
async function lookAt(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  await screenshot(page, name);
}

async function signIn(device: BrowserContext, email: string, pw: string): Promise<Page> {
  const page = await device.newPage();
  await page.goto('/sign-in');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await lookAt(page, `sign-in-${(page.viewportSize()?.width ?? 0) < 600 ? 'phone' : 'desktop'}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(pw);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  return page;
}

describe.skipIf(skip !== null)(`The reader${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(['desktop', 'phone'] as const)('signs up, finds metta, reads today and keeps it across devices (%s)', async (viewport) => {
    const email = `reader-${viewport}@example.org`;
    const device = await newDevice(browser, viewport, server.url);
    const page = await device.newPage();

    await page.goto('/sign-up');
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
    await lookAt(page, `sign-up-${viewport}`);
    await page.getByLabel('Your name').fill('Ānanda');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Discover' }).waitFor();
    await page.getByRole('heading', { name: 'A Week of Loving-Kindness' }).first().waitFor();
    await lookAt(page, `discover-${viewport}`);

    await page.getByRole('combobox', { name: 'Search the plans' }).fill('metta');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { name: 'Plans for “metta”' }).waitFor();
    await page.getByRole('link', { name: /A Week of Loving-Kindness/ }).first().click();
    await page.waitForURL('**/plans/a-week-of-loving-kindness');
    await page.getByRole('heading', { level: 1, name: 'A Week of Loving-Kindness' }).waitFor();
    await lookAt(page, `plan-${viewport}`);

    await page.getByRole('button', { name: 'Start this plan' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/today'));
    const boxes = page.getByRole('checkbox');
    await boxes.first().waitFor();
    await lookAt(page, `today-${viewport}`);
    for (const box of await boxes.all()) await box.check();
    await page.getByText('1 day of practice in a row').waitFor();
    await screenshot(page, `today-finished-${viewport}`);

    for (const [path, name] of [['/my-plans', 'my-plans'], ['/progress', 'progress'], ['/settings', 'settings']] as const) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await lookAt(page, `${name}-${viewport}`);
    }

    // Another device, the same account: the same day, already done.
    const other = await newDevice(browser, viewport, server.url);
    const there = await signIn(other, email, password);
    await there.goto('/today');
    await there.getByRole('checkbox').first().waitFor();
    const checked = await there.getByRole('checkbox').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked));
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.every(Boolean), 'every box ticked on the other device').toBe(true);
    await there.getByText('1 day of practice in a row').waitFor();
    await other.close();
    await device.close();
  });

  it('says so, gently, where there is nothing', async () => {
    const device = await newDevice(browser, 'phone', server.url);
    const page = await device.newPage();
    for (const [path, title, name] of [
      ['/nowhere', 'Nothing here', 'not-found-phone'],
      ['/plans/no-such-plan', 'This plan is not here', 'no-such-plan-phone'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await lookAt(page, name);
      await page.getByRole('link', { name: /Discover/ }).last().click();
      await page.waitForURL((url) => url.pathname === '/');
    }
    await device.close();
  });

  it('installs as an app that opens offline', async () => {
    const device = await newDevice(browser, 'phone', server.url);
    const page = await device.newPage();
    await page.goto('/');
    const manifest = (await (await fetch(`${server.url}/manifest.webmanifest`)).json()) as {
      name: string;
      display: string;
      icons: { sizes: string; purpose?: string }[];
    };
    expect(manifest.name).toBe('Dharma Plans');
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ''}`)).toEqual(['192x192', '512x512', '512x512 maskable']);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).scope)).toBe(`${server.url}/`);
    // Once the worker holds the app, it opens without the network.
    await expect.poll(() => page.evaluate(async () => (await caches.keys()).length)).toBeGreaterThan(0);
    await device.setOffline(true);
    await page.goto('/progress');
    await page.getByRole('link', { name: 'Dharma Plans' }).first().waitFor();
    await device.close();
  });

  it('resets a forgotten password through the link in the mail', async () => {
    const email = 'forgetful@example.org';
    const signUp = await fetch(`${server.url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password, display_name: 'Forgetful' }),
    });
    expect(signUp.status).toBe(201);

    const device = await newDevice(browser, 'phone', server.url);
    const page = await device.newPage();
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await lookAt(page, 'forgot-password-phone');

    let link: string | undefined;
    await expect
      .poll(async () => (link = (await server.mailLinks(email)).find((l) => l.includes('/reset-password'))), { timeout: 15_000 })
      .toBeDefined();
    await page.goto(link!);
    await page.getByLabel('New password', { exact: true }).fill('a new and steady breath');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('heading', { name: 'Your password is changed' }).waitFor();

    const again = await signIn(await newDevice(browser, 'phone', server.url), email, 'a new and steady breath');
    expect(new URL(again.url()).pathname).not.toBe('/sign-in');
    await device.close();
  });
});
