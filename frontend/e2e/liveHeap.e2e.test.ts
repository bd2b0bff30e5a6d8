/**
 * The live overview must not grow memory while it runs: the heap after garbage collection is compared
 * at the start and the end of a run with traffic flowing (one minute by default; E2E_LIVE_MINUTES=10 for
 * the full ten-minute check).
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { complete } from './appApi';
import { launchChromium, openPage, type WatchedPage } from './chromium';

const MINUTES = Number(process.env.E2E_LIVE_MINUTES ?? '1');
let browser: BrowserContext;
let watched: WatchedPage;

beforeAll(async () => {
  browser = await launchChromium(inject('appUrl'));
  watched = await openPage(browser);
});

afterAll(async () => {
  await (browser as BrowserContext | undefined)?.close();
});

it(`keeps the live overview's heap flat over ${MINUTES} minute(s) of frames`, async () => {
  const { page } = watched;
  await page.goto('/');
  await page.evaluate((token) => { sessionStorage.setItem('switchboard.adminToken', token); }, inject('adminToken'));
  await page.reload();
  await page.getByText('Live', { exact: true }).waitFor();
  const cdp = await browser.newCDPSession(page);
  const heapAfterGc = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  await page.waitForTimeout(5000); // first frames, charts and fonts settle
  const start = await heapAfterGc();
  const end = Date.now() + MINUTES * 60_000;
  while (Date.now() < end) {
    await complete('switchboard-mini', 'Keep the heatmap busy.');
    await page.waitForTimeout(3000);
  }
  const finish = await heapAfterGc();
  writeFileSync('target/e2e/live-heap.json', JSON.stringify({ minutes: MINUTES, startBytes: start, endBytes: finish }, null, 2));
  expect(watched.errors).toEqual([]);
  // flat means within 1 MiB: a buffer growing per frame (one a second) would pass that within minutes
  expect(finish - start).toBeLessThan(1024 * 1024);
}, (MINUTES * 60 + 120) * 1000);
