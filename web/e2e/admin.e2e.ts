// The admin panel's main path, as its people walk it at a desk: an admin
// adds an author record linked to an author's account; the author writes a
// three-day plan in the studio (details, a cover uploaded with its progress
// in view, a reading and practices), waits for it to save and sends it for
// review; the admin reads the diff and publishes it; a reader finds it by
// searching "bells" and starts it. Another author cannot open the plan. A
// change to it is sent back with a note the author then reads. An edit the
// server refuses waits beside its field; two tabs that save the same plan
// are caught, and "Overwrite with mine" keeps both tabs' changes. Each admin
// page is checked with axe, and the main ones saved as screenshots.
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, launchBrowser, newDevice, screenshot, seriousViolations, startServer, type Server } from './harness';

const skip = cannotRun();
const password = 'a calm and patient breath';
const title = 'Bells of Mindfulness';
const authorName = 'Sister Annata';
const note = 'Please say in the subtitle which bell is meant: the temple bell or the phone.';

/** No serious accessibility problem on the page; a screenshot for people when named. */
async function check(page: Page, what: string, shot?: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await seriousViolations(page), `axe on ${what}`).toEqual([]);
  if (shot) await screenshot(page, shot);
}

/** A valid PNG of noisy pixels, so that it does not compress (about 3 × width × height bytes). */
function noisyPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter choice, no interlace
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  let seed = 2463534242;
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const o = y * row + 1 + x * 3;
      // A warm evening gradient with grain.
      raw[o] = (180 + (x * 60) / width + (seed & 31)) & 255;
      raw[o + 1] = (90 + (y * 80) / height + ((seed >>> 8) & 31)) & 255;
      raw[o + 2] = (40 + ((seed >>> 16) & 47)) & 255;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Signs in at /admin/sign-in (checked with axe once) and lands on the panel. */
async function signInToPanel(device: BrowserContext, email: string, look = false): Promise<Page> {
  const page = await device.newPage();
  await page.goto('/admin/sign-in');
  await page.getByRole('heading', { level: 1, name: 'Sign in to the admin panel' }).waitFor();
  if (look) await check(page, 'admin sign-in', 'admin-sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/admin/') && url.pathname !== '/admin/sign-in');
  return page;
}

/** Waits until the editor has saved every change (it says so in its status line). */
async function allSaved(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 30_000 });
}

/** Adds a Markdown reading to an open day. */
async function addReading(day: Locator, n: number, heading: string, body: string): Promise<void> {
  await day.getByRole('button', { name: `Add a reading to day ${n}` }).click();
  const form = day.getByRole('form', { name: `New reading for day ${n}` });
  await form.getByLabel('Title', { exact: true }).fill(heading);
  await form.getByLabel('Text', { exact: true }).fill(body);
  await form.getByRole('button', { name: 'Add the reading' }).click();
  await form.waitFor({ state: 'detached', timeout: 10_000 }).catch(async (e: unknown) => {
    throw new Error(`the reading was not added: ${await form.innerText()}`, { cause: e });
  });
  await day.getByText(heading).first().waitFor();
}

/** Adds a practice (a kind, minutes, a prompt if given) to an open day. */
async function addPractice(day: Locator, n: number, kind: string, minutes: number, prompt?: string): Promise<void> {
  await day.getByRole('button', { name: `Add a practice to day ${n}` }).click();
  const form = day.getByRole('form', { name: `New practice for day ${n}` });
  await form.getByLabel('Kind').selectOption({ label: kind });
  await form.getByLabel('Minutes').fill(String(minutes));
  if (prompt) await form.getByLabel('Prompt', { exact: true }).fill(prompt);
  await form.getByRole('button', { name: 'Add the practice' }).click();
  await form.waitFor({ state: 'detached', timeout: 10_000 }).catch(async (e: unknown) => {
    throw new Error(`the practice was not added: ${await form.innerText()}`, { cause: e });
  });
}

describe.skipIf(skip !== null)(`The admin panel${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: Server;
  let browser: Browser;
  let admin: Page;
  let author: Page;
  let planId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    await server.createUser('abbot@example.org', 'admin', password, 'The Abbot');
    await server.createUser('annata@example.org', 'author', password, 'Annata Nguyen');
    await server.createUser('khema@example.org', 'author', password, 'Khema');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an admin adds an author linked to an account', async () => {
    admin = await signInToPanel(await newDevice(browser, 'desktop', server.url), 'abbot@example.org', true);
    await admin.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    await admin.getByRole('navigation').getByRole('link', { name: 'Authors' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Authors' }).waitFor();
    await admin.getByRole('link', { name: 'Add author' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Add an author' }).waitFor();
    await admin.getByLabel('Name', { exact: true }).fill(authorName);
    await admin.getByLabel('Tradition').selectOption({ label: 'Mahāyāna' });
    await admin.getByLabel('Biography', { exact: true }).fill('A nun of the **Plum Village** tradition.');
    // The account, found by typing part of its address and chosen from the list.
    await admin.getByRole('combobox', { name: 'Linked account' }).fill('annata@');
    await admin.getByRole('option', { name: /annata@example\.org/ }).click();
    await admin.getByText('annata@example.org').waitFor();
    await admin.getByRole('button', { name: 'Add author' }).click();
    await admin.getByRole('status').filter({ hasText: `Added ${authorName}.` }).waitFor();
    await admin.getByRole('heading', { level: 1, name: authorName }).waitFor();
    await check(admin, 'author page');
  });

  it('the author writes a plan with a cover and three days, and sends it for review', async () => {
    author = await signInToPanel(await newDevice(browser, 'desktop', server.url), 'annata@example.org');
    await author.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    await author.getByText('No plans yet.', { exact: false }).waitFor();
    await check(author, 'studio plans list');
    // A filled button keeps its contrast under the pointer too.
    await author.getByRole('button', { name: 'New plan' }).hover();
    await author.waitForTimeout(300); // the colour's transition
    await check(author, 'studio plans list, "New plan" hovered');

    await author.getByRole('button', { name: 'New plan' }).click();
    const start = author.getByRole('dialog', { name: 'Start a plan' });
    await start.getByLabel('Title', { exact: true }).fill(title);
    await start.getByLabel('Tradition').selectOption({ label: 'Mahāyāna' });
    await start.getByRole('button', { name: 'Start writing' }).click();
    await author.waitForURL(/\/admin\/plans\/[^/]+$/);
    planId = new URL(author.url()).pathname.split('/').pop()!;
    await author.getByRole('heading', { level: 1, name: title }).waitFor();

    // The plan names the author linked to the account, not the account's own name.
    await author.getByRole('button', { name: `Remove ${authorName}` }).waitFor();

    await author.getByLabel('Description', { exact: true }).fill('Seven breaths at every **bell**: a short practice for busy days.');
    await author.getByLabel('Topics').fill('mindfulness, breath');
    await author.getByLabel('Topics').press('Tab');

    // The cover: the upload is held back a moment, so that its progress can be seen.
    await author.route('**/v1/media/uploads/*/content', async (route) => {
      await new Promise((r) => setTimeout(r, 2500));
      await route.continue();
    });
    const cover = noisyPng(320, 320);
    expect(cover.length).toBeGreaterThan(250_000);
    await author.getByLabel('Cover image: file').setInputFiles({ name: 'bell.png', mimeType: 'image/png', buffer: cover });
    await expect.poll(() => author.getByRole('progressbar', { name: 'Uploading bell.png' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await author.getByRole('button', { name: 'Replace: Cover image' }).waitFor({ timeout: 60_000 });
    await author.getByRole('img', { name: 'Preview of bell.png' }).waitFor();
    await author.unroute('**/v1/media/uploads/*/content');

    const days = author.locator('article[id^="day-"]');
    const dayTitles = ['The bell of the temple', 'The bell of the telephone', 'Every sound a bell'];
    for (const [i, dayTitle] of dayTitles.entries()) {
      await author.getByRole('button', { name: 'Add a day' }).click();
      await expect.poll(() => days.count()).toBe(i + 1);
      const day = days.nth(i);
      await day.getByLabel('Day title').fill(dayTitle);
      await day.getByLabel('Day title').press('Tab');
      if (i === 0) {
        await addReading(day, 1, 'Inviting the bell', 'When you hear the bell, stop and breathe **three times**.\n\n> Listen, listen; this wonderful sound brings me back to my true home.');
        await addPractice(day, 1, 'Meditate', 10);
      } else if (i === 1) {
        await addPractice(day, 2, 'Reflect', 5, 'Which sounds today could be your bell?');
      } else {
        await addReading(day, 3, 'Bells everywhere', 'A car horn, a kettle, a child calling: let each be a bell.');
        await addPractice(day, 3, 'Meditate', 15);
      }
    }
    await allSaved(author);
    await check(author, 'studio editor', 'admin-studio');

    await author.getByRole('button', { name: 'Send for review' }).click();
    await author.getByText(/^Sent for review on /).waitFor();
    await author.getByText(/^This plan is with the reviewers/).waitFor();
  });

  it('the admin sees the new plan in the queue, reads it and publishes it', async () => {
    await admin.getByRole('navigation').getByRole('link', { name: 'Review' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
    const row = admin.getByRole('row').filter({ hasText: title });
    await row.getByText('A new plan').waitFor();
    await row.getByText(authorName).waitFor();
    await check(admin, 'review queue', 'admin-review-queue');

    await row.getByRole('link', { name: title }).click();
    await admin.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
    await admin.getByText('A plan never published before: everything is new, 3 days.').waitFor();
    for (const text of ['The bell of the temple', 'Inviting the bell', 'Every sound a bell', 'Bells everywhere']) {
      expect(await admin.getByText(text).first().isVisible(), text).toBe(true);
    }
    await check(admin, 'review page', 'admin-review-diff');

    await admin.getByRole('button', { name: 'Publish', exact: true }).click();
    const confirm = admin.getByRole('dialog', { name: `Publish “${title}”?` });
    await confirm.getByRole('button', { name: 'Publish', exact: true }).click();
    await admin.waitForURL('**/admin/review');
    await admin.getByText(`Published “${title}”.`).waitFor();
    await admin.getByText('Nothing is waiting for review.').waitFor();
  });

  it('a reader finds the plan by searching "bells" and starts it', async () => {
    const device = await newDevice(browser, 'desktop', server.url);
    const page = await device.newPage();
    await page.goto('/sign-up');
    await page.getByLabel('Your name').fill('Ānanda');
    await page.getByLabel('Email').fill('reader@example.org');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Discover' }).waitFor();

    await page.getByRole('combobox', { name: 'Search the plans' }).fill('bells');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { name: 'Plans for “bells”' }).waitFor();
    await page.getByRole('link', { name: new RegExp(title) }).first().click();
    await page.waitForURL('**/plans/bells-of-mindfulness');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText(authorName).first().waitFor();

    await page.getByRole('button', { name: 'Start this plan' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/today'));
    await page.getByText('Inviting the bell').first().waitFor();
    await page.getByRole('checkbox').first().waitFor();
    await device.close();
  });

  it('another author cannot open the plan, nor see it listed', async () => {
    const device = await newDevice(browser, 'desktop', server.url);
    const page = await signInToPanel(device, 'khema@example.org');
    for (const path of [`/admin/plans/${planId}`, `/admin/plans/${planId}/days/1/preview`]) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: 'This plan is not here' }).waitFor();
      expect(await page.getByText(title).count()).toBe(0);
    }
    await page.getByRole('link', { name: 'Back to the plans' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    await page.getByText('No plans yet.', { exact: false }).waitFor();
    expect(await page.getByText(title).count()).toBe(0);
    await device.close();
  });

  it('a change sent back shows the reviewers’ note to the author', async () => {
    // The author changes the published plan: a new revision, sent for review.
    await author.goto(`/admin/plans/${planId}`);
    await author.getByRole('heading', { level: 1, name: title }).waitFor();
    await author.getByLabel('Subtitle').fill('Seven breaths at every bell');
    await author.getByLabel('Subtitle').press('Tab');
    await author.getByText(/^Revision 2, in draft/).waitFor();
    await allSaved(author);
    await author.getByRole('button', { name: 'Send for review' }).click();
    await author.getByText(/^Sent for review on /).waitFor();

    await admin.goto('/admin/review');
    const row = admin.getByRole('row').filter({ hasText: title });
    await row.getByText('An update').waitFor();
    await row.getByRole('link', { name: title }).click();
    await admin.getByText(/^Compared with the published revision/).waitFor();
    await admin.getByText('Seven breaths at every bell').first().waitFor();
    await admin.getByLabel('Note to the authors').fill(note);
    await admin.getByRole('button', { name: 'Send back' }).click();
    await admin.waitForURL('**/admin/review');
    await admin.getByText(`Sent “${title}” back to its authors with your note.`).waitFor();

    await author.reload();
    const sentBack = author.getByRole('region', { name: 'Sent back by the reviewers' });
    await sentBack.getByText(note).waitFor();
    await author.getByText('Sent back: change what the reviewers ask, then send it again.').waitFor();
    await author.getByRole('button', { name: 'Send for review' }).waitFor();
    await screenshot(author, 'admin-studio-sent-back');
  });

  it('an edit the server refuses waits beside its field, and two tabs never overwrite each other unasked', async () => {
    // The plan is a draft again (sent back). A language that is no language tag: the
    // server's error shows beside the field, and nothing is lost.
    await author.getByLabel('Language').fill('not a language!');
    await author.getByLabel('Language').press('Tab');
    await author.getByRole('status').filter({ hasText: 'Not saved: fix the marked field' }).waitFor();
    await expect.poll(() => author.getByLabel('Language').getAttribute('aria-invalid')).toBe('true');
    await author.getByLabel('Language').fill('en');
    await author.getByLabel('Language').press('Tab');
    await allSaved(author);

    // A second tab on the same plan. Its next save is held until the first tab has saved
    // a change of its own, so that it reaches the server with a version that is stale.
    const other = await author.context().newPage();
    await other.goto(`/admin/plans/${planId}`);
    await other.getByRole('heading', { level: 1, name: title }).waitFor();
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await other.route(`**/v1/studio/plans/${planId}`, async (route) => {
      if (route.request().method() === 'PATCH') await held;
      await route.continue();
    });
    await other.getByLabel('Description', { exact: true }).fill('Written in the second tab.');
    await other.getByLabel('Description', { exact: true }).press('Tab');
    await author.getByLabel('Subtitle').fill('Written in the first tab');
    await author.getByLabel('Subtitle').press('Tab');
    await allSaved(author);
    release();

    // The second tab is told, and keeps its change until the person chooses.
    const conflict = other.getByRole('dialog', { name: 'This plan changed in another tab or by someone else' });
    await conflict.waitFor();
    await check(other, 'the conflict dialog');
    await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
    await allSaved(other);
    await other.unroute(`**/v1/studio/plans/${planId}`);

    // Overwriting sent only what the second tab changed: both changes stand.
    await author.reload();
    await author.getByRole('heading', { level: 1, name: title }).waitFor();
    await expect.poll(() => author.getByLabel('Subtitle').inputValue()).toBe('Written in the first tab');
    await expect.poll(() => author.getByLabel('Description', { exact: true }).inputValue()).toBe('Written in the second tab.');
    await other.close();
  });

  it('the admin’s other pages pass axe after all this', async () => {
    for (const [path, heading, shot] of [
      ['/admin/dashboard', 'Dashboard', 'admin-dashboard'],
      ['/admin/users', 'Users', 'admin-users'],
      ['/admin/authors', 'Authors', undefined],
      ['/admin/audit', 'Audit log', 'admin-audit'],
      ['/admin/settings', 'Settings', 'admin-settings'],
    ] as const) {
      await admin.goto(path);
      await admin.getByRole('heading', { level: 1, name: heading }).waitFor();
      await check(admin, heading.toLowerCase(), shot);
    }
  });
});
