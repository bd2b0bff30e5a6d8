/**
 * The fleet view against the real app: this replica listed from its own heartbeat with its model and the newest
 * expert configuration version, a disable through the API moving both versions on, the usage table's fleet
 * total matching the statistics API after traffic; axe clean, a screenshot, reachable by keyboard, no sideways
 * scrolling on a phone.
 */
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ExpertConfigurationView, FleetUsage, ReplicaView } from '../src/api/types';
import { seriousViolations } from './axe';
import { complete, enableExpert, getJson } from './appApi';
import { launchChromium, openPage, type WatchedPage } from './chromium';

const SCREENSHOTS = 'target/e2e/screenshots';
const MODEL = 'switchboard-mini';

let browser: BrowserContext;
let watched: WatchedPage;
let page: Page;

async function disableExpert(layer: number, expert: number): Promise<void> {
  const response = await fetch(`${inject('appUrl')}/api/admin/experts/layers/${layer}/experts/${expert}/disable`, {
    method: 'POST', headers: { Authorization: `Bearer ${inject('adminToken')}` },
  });
  if (!response.ok) throw new Error(`disable answered ${response.status}: ${await response.text()}`);
}

/** The row of this replica, found by the instance id the app itself reports. */
async function ownRow() {
  const [self] = await getJson<ReplicaView[]>('/api/admin/instances');
  if (self === undefined) throw new Error('/api/admin/instances lists no replica');
  return { self, row: page.getByTestId('replicas').locator(`tr[data-instance="${self.instance}"]`) };
}

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

describe('fleet view', () => {
  it('lists this replica with its model and the newest expert configuration version, in sync', async () => {
    await page.goto('/#/fleet');
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
    const { self, row } = await ownRow();
    const newest = (await getJson<ExpertConfigurationView>('/api/admin/experts/configuration')).version;
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe(MODEL);
    expect(await row.getByTestId('applied-version').textContent()).toBe(`version ${newest} of ${newest}`);
    expect(await row.getAttribute('data-state')).toBe('current');
    expect(await page.getByTestId('newest-version').textContent()).toBe(String(newest));
    expect(self.model).toBe(MODEL);
  });

  it('follows a change of the expert configuration to the next version on its next refresh', async () => {
    const before = (await getJson<ExpertConfigurationView>('/api/admin/experts/configuration')).version;
    await disableExpert(0, 1);
    try {
      const { row } = await ownRow();
      await expect.poll(() => page.getByTestId('newest-version').textContent(), { timeout: 20_000 }).toBe(String(before + 1));
      await expect.poll(() => row.getByTestId('applied-version').textContent(), { timeout: 20_000 })
        .toBe(`version ${before + 1} of ${before + 1}`);
    } finally {
      await enableExpert(0, 1);
    }
  });

  it('shows usage per instance whose fleet total matches the statistics API, axe clean', async () => {
    watched.errors.length = 0;
    await complete(MODEL, 'Which replica serves this?');
    await expect.poll(async () => {
      const usage = await getJson<FleetUsage>(`/api/stats/instances?model=${MODEL}`);
      await page.reload();
      const shown = await page.getByTestId('fleet-total').locator('td').first().textContent({ timeout: 20_000 });
      return usage.total.requests > 0 && Number((shown ?? '').replace(/\D/g, '')) === usage.total.requests;
    }, { timeout: 60_000, interval: 2000 }).toBe(true);
    const { self } = await ownRow();
    await page.getByTestId('instance-usage').locator(`tr[data-instance="${self.instance}"]`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/fleet.png`, fullPage: true });
    expect(watched.errors).toEqual([]);
  });

  it('reaches the view from the navigation by keyboard', async () => {
    await page.goto('/#/overview');
    await page.getByRole('link', { name: 'Fleet' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('replicas').waitFor();
    expect(await page.getByRole('link', { name: 'Fleet' }).getAttribute('aria-current')).toBe('page');
  });

  it('fits a 390-px-wide phone screen without sideways scrolling', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    await phone.page.goto('/');
    await phone.page.evaluate((token) => { sessionStorage.setItem('switchboard.adminToken', token); }, inject('adminToken'));
    await phone.page.reload();
    await phone.page.goto('/#/fleet');
    await phone.page.getByTestId('replicas').waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.page.close();
  });
});
