/**
 * What if, in headless Chromium against the real app: the playground runs the prompt again with the served
 * first-choice expert of a token masked and k = 1, and shows the changed routing beside the served one, while
 * normal requests sent at the same time get exactly the served routing and text.
 */
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations } from './axe';
import { completion, firstChoices } from './appApi';
import { launchChromium, openPage, type WatchedPage } from './chromium';

const SCREENSHOTS = 'target/e2e/screenshots';
const PROMPT = 'public static int add(int a, int b) { return a + b; }';
const MODEL = 'switchboard-mini';

let browser: BrowserContext;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium(inject('appUrl'));
  watched = await openPage(browser);
  page = watched.page;
  await page.goto('/');
  await page.evaluate((token) => { sessionStorage.setItem('switchboard.adminToken', token); }, inject('adminToken'));
  await page.reload();
});

afterAll(async () => {
  await (browser as BrowserContext | undefined)?.close();
});

/** The chosen experts of every token of a strip, as the page shows them. */
async function stripExperts(testId: string): Promise<number[][]> {
  const lists = await page.getByTestId(testId).locator('.token').evaluateAll(
    (tokens) => tokens.map((token) => token.getAttribute('data-experts') ?? ''));
  return lists.map((list) => list.split(' ').filter((e) => e !== '').map(Number));
}

describe('what if', () => {
  it('shows a changed routing side by side while parallel normal requests are unaffected', async () => {
    const served = await firstChoices(PROMPT, 0);
    // The first chat template rendering on a cold JVM can pass the template's 1-s budget on a busy machine.
    let servedCompletion: Awaited<ReturnType<typeof completion>> | undefined;
    await expect.poll(async () => {
      servedCompletion = await completion(MODEL, PROMPT).catch(() => undefined);
      return servedCompletion !== undefined;
    }, { timeout: 30_000, interval: 1000 }).toBe(true);
    const masked = served[1] ?? 0;

    await page.goto('/#/playground');
    await page.getByLabel('Text to route').fill(PROMPT);
    await page.getByRole('button', { name: 'Route', exact: true }).click();
    await page.getByTestId('token-strip').waitFor();
    await page.getByLabel(`Mask expert ${String(masked)} in every layer`).check();
    await page.getByLabel('Experts per token (k)').selectOption('1');

    watched.errors.length = 0;
    const run = page.getByRole('button', { name: 'Run what-if' }).click();
    // Normal requests while the what-if ones are queued and batched with them.
    const parallel = await Promise.all([firstChoices(PROMPT, 0), completion(MODEL, PROMPT), firstChoices(PROMPT, 0)]);
    await run;
    await page.getByTestId('whatif-result').waitFor({ timeout: 60_000 });

    expect(parallel[0], 'a normal route request beside the what-if one').toEqual(served);
    expect(parallel[2]).toEqual(served);
    expect(parallel[1], 'a normal completion beside the what-if one').toEqual(servedCompletion);

    const servedStrip = await stripExperts('whatif-served-strip');
    expect(servedStrip.map((experts) => experts[0])).toEqual(served);
    const whatIfStrip = await stripExperts('whatif-strip');
    expect(whatIfStrip).toHaveLength(served.length);
    for (const experts of whatIfStrip) {
      expect(experts).toHaveLength(1);
      expect(experts).not.toContain(masked);
    }
    expect(await page.getByTestId('whatif-strip').locator('.token.changed').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('whatif-layers').locator('tbody tr').first().getAttribute('data-changed')).not.toBe('0');
    await page.getByTestId('whatif-text').waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/whatif.png`, fullPage: true });
    expect(watched.errors).toEqual([]);
  });
});
