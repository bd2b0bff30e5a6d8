/**
 * The dashboard in headless Chromium against the real app: sign-in, every view (no console errors, axe
 * clean, a screenshot each), the live heatmap reacting to traffic, and an expert disabled in the UI
 * leaving the playground's routing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations } from './axe';
import { complete, enableExpert, firstChoices } from './appApi';
import { launchChromium, openPage, type WatchedPage } from './chromium';

const SCREENSHOTS = 'target/e2e/screenshots';
const PROMPT = 'public static int add(int a, int b) { return a + b; }';
const MODEL = 'switchboard-mini';
const measures: Record<string, number> = {};

let browser: BrowserContext;
let watched: WatchedPage;
let page: Page;

async function signIn(token: string): Promise<void> {
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function checkView(name: string, ready: () => Promise<void>): Promise<void> {
  watched.errors.length = 0;
  await page.goto(`/#/${name}`);
  await ready();
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  expect(watched.errors, `console errors on ${name}`).toEqual([]);
}

async function routeInPlayground(): Promise<void> {
  await page.goto('/#/playground');
  await page.getByLabel('Text to route').fill(PROMPT);
  await page.getByRole('button', { name: 'Route', exact: true }).click();
  await page.getByTestId('token-strip').waitFor();
}

/** Every expert in the top-k of any token at layer 0, as the playground shows them. */
async function routedExperts(): Promise<Set<number>> {
  const lists = await page.getByTestId('token-strip').locator('.token').evaluateAll(
    (tokens) => tokens.map((token) => token.getAttribute('data-experts') ?? ''));
  return new Set(lists.flatMap((list) => list.split(' ').filter((e) => e !== '').map(Number)));
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium(inject('appUrl'));
  watched = await openPage(browser);
  page = watched.page;
});

afterAll(async () => {
  writeFileSync('target/e2e/measures.json', JSON.stringify(measures, null, 2));
  await (browser as BrowserContext | undefined)?.close();
});

describe('sign-in', () => {
  it('shows the sign-in form within a second of opening the app', async () => {
    /** Milliseconds from navigation start to the first render, measured by the browser itself. */
    const load = async (): Promise<number> => {
      await page.goto('/');
      await page.getByLabel('Admin token').waitFor();
      return page.evaluate(() => performance.getEntriesByName('switchboard:first-render')[0]?.startTime ?? Infinity);
    };
    // The first load also pays for the JVM's first static-file request and Chromium's first renderer; it is
    // recorded, and the budget applies to the median of three loads from the warm server.
    measures.signInColdMs = Math.round(await load());
    const warm = [await load(), await load(), await load()].sort((a, b) => a - b);
    measures.signInInteractiveMs = Math.round(warm[1] ?? Infinity);
    expect(measures.signInInteractiveMs).toBeLessThan(1000);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in.png` });
  });

  it('refuses a wrong token with a clear message and keeps nothing', async () => {
    await signIn('not-the-token');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That token was not accepted');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('accepts the admin token and opens the overview', async () => {
    const started = Date.now();
    await signIn(inject('adminToken'));
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    measures.overviewLiveAfterSignInMs = Date.now() - started;
  });
});

describe('views', () => {
  it('overview: the live heatmap fills after completion requests', async () => {
    watched.errors.length = 0;
    await page.goto('/#/overview');
    await page.getByText('Live', { exact: true }).waitFor();
    const before = await page.locator('#heatmap-title').locator('..').textContent();
    // keep traffic flowing until a frame shows it (a window may close between a request and a frame)
    let sent = 0;
    await expect.poll(async () => {
      await complete(MODEL, `What is a mixture of experts? ${sent++}`);
      return Number((await page.getByTestId('window-tokens').textContent() ?? '0').replace(/\D/g, ''));
    }, { timeout: 60_000, interval: 1000 }).toBeGreaterThan(0);
    await page.getByTestId('heatmap').waitFor();
    expect(await page.locator('#heatmap-title').locator('..').textContent()).not.toEqual(before);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/overview.png`, fullPage: true });
    expect(watched.errors).toEqual([]);
  });

  it('experts & plugins', async () => {
    await checkView('experts', async () => {
      await page.getByTestId('layer-0').waitFor();
      await page.getByTestId('plugins').waitFor();
      await page.getByTestId('events').waitFor();
    });
  });

  it('routing playground, with the walk of one token', async () => {
    watched.errors.length = 0;
    await routeInPlayground();
    await page.getByTestId('token-strip').locator('.token').nth(3).focus();
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByTestId('walk').getByText('are cut').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/playground.png`, fullPage: true });
    expect(watched.errors).toEqual([]);
  });

  it('routing playground: a chat message is routed with the chat template around it', async () => {
    const plain = await page.getByTestId('token-strip').locator('.token').count();
    await page.getByLabel(/As a chat message/).check();
    await page.getByRole('button', { name: 'Route', exact: true }).click();
    await expect.poll(() => page.getByTestId('token-strip').locator('.token').count(), { timeout: 30_000 }).toBeGreaterThan(plain);
    await page.getByLabel(/As a chat message/).uncheck();
    expect(watched.errors).toEqual([]);
  });

  it('routing playground: generation streams coloured tokens', async () => {
    await page.getByRole('button', { name: /Generate/ }).click();
    await expect.poll(() => page.getByTestId('generated').locator('.token').count(), { timeout: 60_000 }).toBeGreaterThan(1);
    expect(watched.errors).toEqual([]);
  });

  it('history', async () => {
    await checkView('history', async () => {
      await page.getByRole('heading', { name: 'Utilisation' }).waitFor();
      await page.getByRole('heading', { name: 'Consecutive tokens on the same expert' }).waitFor();
      await page.waitForSelector('[role="status"]', { state: 'detached', timeout: 30_000 }).catch(() => undefined);
    });
  });

  it('fits a 390-px-wide phone screen without sideways scrolling', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    await phone.page.goto('/');
    await phone.page.evaluate((token) => { sessionStorage.setItem('switchboard.adminToken', token); }, inject('adminToken'));
    await phone.page.reload();
    for (const view of ['overview', 'experts', 'playground', 'history']) {
      await phone.page.goto(`/#/${view}`);
      await phone.page.getByRole('heading', { level: 1 }).waitFor();
      await phone.page.waitForTimeout(500);
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth), view).toBeLessThanOrEqual(390);
    }
    await phone.page.close();
  });
});

describe('expert lifecycle from the UI', () => {
  it('a disabled expert leaves the playground routing; enabling brings it back', async () => {
    const expert = (await firstChoices(PROMPT, 0))[2] ?? 0;
    try {
      await routeInPlayground();
      expect(await routedExperts()).toContain(expert);

      await page.goto('/#/experts');
      await page.getByRole('button', { name: `Disable expert ${expert} of layer 0` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
      await page.getByTestId('layer-0').locator(`tr[data-state="disabled"]`).waitFor();

      await routeInPlayground();
      expect(await routedExperts()).not.toContain(expert);

      await page.goto('/#/experts');
      await page.getByRole('button', { name: `Enable expert ${expert} of layer 0` }).click();
      await page.getByTestId('layer-0').locator(`tr[data-state="disabled"]`).waitFor({ state: 'detached' });

      await routeInPlayground();
      expect(await routedExperts()).toContain(expert);
    } finally {
      await enableExpert(0, expert);
    }
  });

  it('overview after traffic: balance over time from the database, axe clean', async () => {
    watched.errors.length = 0;
    await page.goto('/#/overview');
    await expect.poll(async () => {
      await complete(MODEL, 'Which expert takes this token?');
      await page.getByRole('button', { name: 'Refresh' }).click();
      return page.locator('#balance-title').locator('..').locator('figure.chart').count();
    }, { timeout: 60_000, interval: 2000 }).toBe(1);
    await page.getByTestId('heatmap').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/overview.png`, fullPage: true });
    expect(watched.errors).toEqual([]);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('switchboard.adminToken'))).toBeNull();
  });
});
