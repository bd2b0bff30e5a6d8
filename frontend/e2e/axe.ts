/** Runs axe-core (the npm package's own script, injected into the page) and answers serious and critical violations. */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

interface Violation { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }

export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Violation[] }> } })
      .axe.run(document);
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact ?? ''} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}
