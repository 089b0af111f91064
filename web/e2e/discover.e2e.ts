import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, launchBrowser, newDevice, screenshot, seriousViolations, startServer, type Server } from './harness';

const skip = cannotRun();

describe.skipIf(skip !== null)(`Discover${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(['phone', 'desktop'] as const)('lists the published plans on a %s, accessibly', async (viewport) => {
    const device = await newDevice(browser, viewport, server.url);
    const page = await device.newPage();
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Discover');
    await page.getByRole('heading', { name: 'A Week of Loving-Kindness' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `discover-${viewport}`);
    await device.close();
  });
});
