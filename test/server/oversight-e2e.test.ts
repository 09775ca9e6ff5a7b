/**
 * The oversight routes end to end on loopback, through `concordat serve` over a node opened
 * from its config (`nodeServerContext` wires the oversight port over src/node/oversight.ts):
 * an operator-issued oversight token reads the indicators (which match their documented
 * schema: the route refuses to send anything else) and the HTML report, reads ledger proofs,
 * and is refused on TAXII and bundles.
 */
import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SCHEMAS } from '../../src/server/rest/index.js';
import { freshNode, issueToken, serve } from './e2e-harness.js';

const AGREEMENT = 'northsea-cti-compact';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

function indicator(n: number): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-02-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    pattern: `[domain-name:value = 'oversight${n}.example']`,
    pattern_type: 'stix',
    valid_from: '2026-02-01T00:00:00Z',
    object_marking_refs: [GREEN],
  };
}

describe('oversight end to end over loopback', () => {
  it('indicators and report for the oversight token of a served node; TAXII and bundles refused', async () => {
    const { config } = await freshNode();
    const oversight = (await issueToken(config, 'NL-OVERSIGHT', 'oversight')).token;
    const writer = (await issueToken(config, 'ARV-CERT', 'read,write')).token;
    const reader = (await issueToken(config, 'CAL-CSIRT', 'read')).token;
    const s = await serve(config);
    const get = (path: string, accept = 'application/json') =>
      fetch(`${s.base}${path}`, { headers: { accept, authorization: `Bearer ${oversight}` } });
    try {
      // Something to count: three objects published, then released to another party's agency.
      const pub = await fetch(`${s.base}/api/v1/bundles?agreement=${AGREEMENT}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'bundle',
          id: `bundle--${randomUUID()}`,
          objects: [0, 1, 2].map(indicator),
        }),
      });
      expect(pub.status, await pub.text()).toBe(200);
      const taxii = await fetch(
        `${s.base}/taxii2/${AGREEMENT}/collections/incident-response/objects/`,
        {
          headers: {
            accept: 'application/taxii+json;version=2.1',
            authorization: `Bearer ${reader}`,
          },
        },
      );
      expect(taxii.status, await taxii.text()).toBe(200);

      const r = await get('/api/v1/oversight/indicators?quarter=2026Q1');
      const text = await r.text();
      expect(r.status, text).toBe(200);
      const body: unknown = JSON.parse(text);
      const valid = new Ajv2020({ strict: false }).compile(SCHEMAS.Indicators);
      expect(valid(body), JSON.stringify(valid.errors)).toBe(true);
      expect(body).toMatchObject({
        period: { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) },
        contributions: [{ producer: 'ARV', objects: 3 }],
      });
      // Counts only: no object id of what was published appears anywhere in the answer.
      expect(text).not.toMatch(/indicator--/);

      const report = await get('/api/v1/oversight/report?quarter=2026Q1', 'text/html');
      const html = await report.text();
      expect(report.status, html).toBe(200);
      expect(report.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(report.headers.get('content-disposition')).toBe(
        'inline; filename="transparency-2026Q1.html"',
      );
      expect(html.toLowerCase()).toContain('<html');

      expect((await get('/api/v1/ledger/checkpoints?from=0')).status).toBe(200);
      expect((await get('/taxii2/', 'application/taxii+json;version=2.1')).status).toBe(403);
      const bundles = await fetch(`${s.base}/api/v1/bundles?agreement=northsea-cti-compact`, {
        method: 'POST',
        headers: { authorization: `Bearer ${oversight}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(bundles.status).toBe(403);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });
});
