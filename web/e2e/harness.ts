// The browser tests' harness: the real dharmaplans binary on a SQLite
// database of its own, and Debian's Chromium driven by playwright-core.
// Nothing is mocked: pages talk to the real API, mail lands in the real
// outbox folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const webDir = resolve(import.meta.dirname, '..');
/** The binary under test: make build (or make test) writes it; $DHARMAPLANS_BIN overrides. */
export const binary = process.env.DHARMAPLANS_BIN ?? resolve(webDir, '..', 'bin', 'dharmaplans');
/** Debian's Chromium (.ci/run installs it); $CHROMIUM overrides. */
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Where screenshots go, for people to look at (not committed). */
export const resultsDir = resolve(webDir, 'test-results');

/**
 * Why the browser tests cannot run here, or null when they can. Under CI
 * the tests must fail rather than skip, so there is no reason there.
 */
export function cannotRun(): string | null {
  if (process.env.CI === 'true') return null;
  if (!existsSync(chromiumPath)) return `Chromium is not at ${chromiumPath}: apt-get install chromium (or set CHROMIUM)`;
  if (!existsSync(binary)) return `the binary is not at ${binary}: run make build (or set DHARMAPLANS_BIN)`;
  return null;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** A running server of the test's own. */
export interface Server {
  url: string;
  dataDir: string;
  /** Creates an account with a role, as an operator does at the command line (dharmaplans user create). */
  createUser(email: string, role: 'user' | 'author' | 'admin', password: string, name?: string): Promise<void>;
  /** The links in the mails sent to `to`, newest mail last. */
  mailLinks(to: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts the binary on a fresh SQLite database with the demo plans, and waits until it answers. */
export async function startServer(): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dharmaplans-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The server refuses settings it does not know, so none of the test
  // run's own DHARMAPLANS_* variables (DHARMAPLANS_BIN) reach it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DHARMAPLANS_')));
  const proc: ChildProcess = spawn(binary, ['serve', '--demo=true', `--addr=127.0.0.1:${port}`], {
    env: { ...env, DHARMAPLANS_DATA_DIR: dataDir, DHARMAPLANS_LOG_LEVEL: 'warn', DHARMAPLANS_BASE_URL: url },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode}):\n${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer within a minute:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    async createUser(email, role, password, name) {
      const args = ['user', 'create', `--email=${email}`, `--role=${role}`, ...(name ? [`--name=${name}`] : [])];
      const cli = spawn(binary, args, { env: { ...env, DHARMAPLANS_DATA_DIR: dataDir, DHARMAPLANS_LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      cli.stdout?.on('data', (b: Buffer) => (out += b.toString()));
      cli.stderr?.on('data', (b: Buffer) => (out += b.toString()));
      cli.stdin?.end(`${password}\n`);
      const code = await new Promise<number | null>((r) => cli.once('exit', r));
      if (code !== 0) throw new Error(`dharmaplans user create ${email} failed (${code}):\n${out}`);
    },
    async mailLinks(to) {
      const dir = join(dataDir, 'outbox');
      const names = existsSync(dir) ? (await readdir(dir)).filter((n) => n.endsWith('.eml')).sort() : [];
      const links: string[] = [];
      for (const name of names) {
        // Quoted-printable: soft line breaks and =3D for "=".
        const text = (await readFile(join(dir, name), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        if (!new RegExp(`^To:.*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(text)) continue;
        links.push(...(text.match(/https?:\/\/[^\s"<>]+/g) ?? []));
      }
      return links;
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with a fresh profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The two widths every main page is looked at: a small phone and a desktop. */
export const viewports = {
  phone: { width: 360, height: 780 },
  desktop: { width: 1280, height: 900 },
} as const;

/** A new "device": a browser context of its own (cookies and all) at a width. */
export function newDevice(browser: Browser, viewport: keyof typeof viewports, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ viewport: viewports[viewport], baseURL, locale: 'en-GB', timezoneId: 'Europe/London' });
}

/** Saves a full-page screenshot as test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  await page.screenshot({ path: join(resultsDir, `${name}.png`), fullPage: true });
}

/** The serious and critical accessibility violations axe finds on the page, as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
