/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), headless with a fresh profile.
 * Each page records console errors and failed requests so every test can assert there were none.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const MISSING_CHROMIUM = 'The end-to-end tests need Debian\'s Chromium at /usr/bin/chromium: apt-get install chromium';

/** A persistent context on a fresh profile folder: playwright takes --user-data-dir only this way. */
export async function launchChromium(baseURL: string): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(MISSING_CHROMIUM);
  }
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'switchboard-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    baseURL,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openPage(context: BrowserContext, viewport = { width: 1280, height: 800 }): Promise<WatchedPage> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => { errors.push(error.message); });
  return { page, errors };
}
