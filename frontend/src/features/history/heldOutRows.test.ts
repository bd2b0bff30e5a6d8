import { describe, expect, it } from 'vitest';
import type { ModelEvaluationView } from '../../api/types';
import { heldOutRows, heldOutSource } from './heldOutRows';

const VIEW: ModelEvaluationView = {
  model: 'switchboard-mini',
  source: 'eval-report.json',
  report: {
    model: 'app/src/main/resources/default-model', recipe: 'app/src/default-model/recipe.json', window: 128,
    windowsPerDomain: 16, measuredAt: '2026-12-04T23:00:00Z',
    heldOut: {
      natsPerToken: 1.5,
      domains: [
        { domain: 'prose', windows: 16, tokens: 2032, natsPerToken: 2, bitsPerByte: 0.9 },
        { domain: 'arithmetic', windows: 16, tokens: 2032, natsPerToken: 1, bitsPerByte: 0.4 },
      ],
    },
  },
};

describe('heldOutRows', () => {
  it('keeps the report order and adds every domain together, with perplexity e^loss', () => {
    const rows = heldOutRows(VIEW);
    expect(rows.map((r) => r.domain)).toEqual(['prose', 'arithmetic', 'all domains']);
    expect(rows[0]?.perplexity).toBeCloseTo(Math.E * Math.E, 12);
    expect(rows[2]).toEqual({ domain: 'all domains', windows: 32, tokens: 4064, natsPerToken: 1.5, bitsPerByte: null,
      perplexity: Math.exp(1.5) });
  });
});

describe('heldOutSource', () => {
  it('names the file, the model, the recipe, the windows and when it was measured', () => {
    expect(heldOutSource(VIEW, (iso) => `<${iso}>`)).toBe('eval-report.json of switchboard-mini: eval on the held-out split'
      + ' of app/src/default-model/recipe.json, 16 windows of 128 tokens per domain, measured <2026-12-04T23:00:00Z>');
  });

  it('says so when the report does not record when it was measured', () => {
    expect(heldOutSource({ ...VIEW, report: { ...VIEW.report, measuredAt: null } }, (iso) => iso)).toContain('time not recorded');
  });
});
