/**
 * End to end on loopback: `concordat init`, tokens from `concordat token issue`, then
 * `concordat serve --port 0` and node's own fetch as the client — every TAXII endpoint, the
 * filters and pagination via `next`, DELETE as withdrawal, and a TAXII error body.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TAXII_MEDIA_TYPE } from '../../src/server/index.js';
import { freshNode, issueToken, serve } from './e2e-harness.js';

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const ROOT = '/taxii2/northsea-cti-compact';
const IR = `${ROOT}/collections/incident-response`;

function indicator(n: number, modified = '2026-02-01T00:00:00.000Z'): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-02-01T00:00:00.000Z',
    modified,
    pattern: `[domain-name:value = 'e2e${n}.example']`,
    pattern_type: 'stix',
    valid_from: '2026-02-01T00:00:00Z',
    object_marking_refs: [GREEN],
  };
}

describe('taxii end to end over loopback', () => {
  it('discovery → roots → collections → POST → status → objects/next → manifest → versions → by-id → DELETE', async () => {
    const { config } = await freshNode();
    const writer = (await issueToken(config, 'ARV-CERT', 'read,write')).token;
    const reader = (await issueToken(config, 'BOR-CERT', 'read')).token;
    const s = await serve(config);
    const call = async (
      path: string,
      token: string,
      init: { method?: string; body?: unknown } = {},
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are read ad hoc; each assertion checks the shape it reads
    ): Promise<{ status: number; body: any; headers: Headers }> => {
      const r = await fetch(`${s.base}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          accept: TAXII_MEDIA_TYPE,
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': TAXII_MEDIA_TYPE }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await r.text();
      if (text !== '') expect(r.headers.get('content-type')).toBe(TAXII_MEDIA_TYPE);
      return {
        status: r.status,
        body: text === '' ? undefined : JSON.parse(text),
        headers: r.headers,
      };
    };
    try {
      const disc = await call('/taxii2/', reader);
      expect(disc.status).toBe(200);
      expect(disc.body.api_roots).toEqual([`${ROOT}/`]);
      expect((await call(`${ROOT}/`, reader)).body.versions).toEqual([TAXII_MEDIA_TYPE]);
      const cols = await call(`${ROOT}/collections/`, reader);
      const ir = cols.body.collections.find(
        (c: { alias: string }) => c.alias === 'incident-response',
      );
      expect(ir).toMatchObject({ can_read: true, can_write: false });
      expect((await call(`${ROOT}/collections/${ir.id}/`, reader)).body.alias).toBe(
        'incident-response',
      );

      // POST an envelope as the producer's agency → 202 status, readable by its creator only.
      const objs = [0, 1, 2, 3, 4].map((n) => indicator(n));
      const v2 = { ...objs[0]!, modified: '2026-02-02T00:00:00.000Z' };
      const posted = await call(`${IR}/objects/`, writer, {
        method: 'POST',
        body: { objects: [...objs, v2] },
      });
      expect(posted.status).toBe(202);
      expect(posted.body).toMatchObject({ status: 'complete', total_count: 6, success_count: 6 });
      const status = await call(`${ROOT}/status/${posted.body.id}/`, writer);
      expect(status.body.id).toBe(posted.body.id);
      expect((await call(`${ROOT}/status/${posted.body.id}/`, reader)).status).toBe(404);

      // Objects, two per page, following `next` without resending `limit`.
      const seen: string[] = [];
      let page = await call(`${IR}/objects/?limit=2&match[type]=indicator`, reader);
      expect(page.headers.get('x-taxii-date-added-first')).toMatch(/^2026-/);
      for (let i = 0; i < 10; i++) {
        expect(page.status).toBe(200);
        for (const o of page.body.objects) seen.push(o.id);
        if (page.body.more !== true) break;
        expect(page.body.objects).toHaveLength(2);
        page = await call(`${IR}/objects/?next=${encodeURIComponent(page.body.next)}`, reader);
      }
      expect([...seen].sort()).toEqual(objs.map((o) => o.id as string).sort());
      const one = await call(`${IR}/objects/?match[id]=${objs[1]!.id as string}`, reader);
      expect(one.body.objects.map((o: { id: string }) => o.id)).toEqual([objs[1]!.id]);
      expect(one.body.objects[0].extensions).toBeDefined(); // stamped with handling

      const manifest = await call(`${IR}/manifest/?match[version]=all`, reader);
      expect(manifest.body.objects).toHaveLength(6);
      const versions = await call(`${IR}/objects/${objs[0]!.id as string}/versions/`, reader);
      expect(versions.body.versions).toEqual([
        '2026-02-01T00:00:00.000Z',
        '2026-02-02T00:00:00.000Z',
      ]);
      const byId = await call(`${IR}/objects/${objs[0]!.id as string}/`, reader);
      expect(byId.body.objects).toHaveLength(1);
      expect(byId.body.objects[0].modified).toBe('2026-02-02T00:00:00.000Z');

      // DELETE: the reader may not; the producer withdraws; then it is gone for everyone.
      expect(
        (await call(`${IR}/objects/${objs[0]!.id as string}/`, reader, { method: 'DELETE' }))
          .status,
      ).toBe(403);
      const del = await call(`${IR}/objects/${objs[0]!.id as string}/`, writer, {
        method: 'DELETE',
      });
      expect(del.status).toBe(200);
      expect((await call(`${IR}/objects/${objs[0]!.id as string}/`, reader)).status).toBe(404);
      expect((await call(`${IR}/manifest/?match[version]=all`, reader)).body.objects).toHaveLength(
        4,
      );

      // A bad request: a TAXII error message resource, coded.
      const bad = await call(`${IR}/objects/?limit=-1`, reader);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error_code: 'ERR_FILTER_INVALID', http_status: '400' });
      expect(typeof bad.body.title).toBe('string');
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('a large POST is prepared on an ingest worker: all stored, and one bad object stores none', async () => {
    const { config } = await freshNode();
    // One ingest worker whatever the machine's core count (the default would be 0 on one core).
    const yaml = readFileSync(config, 'utf8');
    expect(yaml).toMatch(/^limits:$/m);
    writeFileSync(config, yaml.replace(/^limits:$/m, 'limits:\n  ingest_workers: 1'));
    const writer = (await issueToken(config, 'ARV-CERT', 'read,write')).token;
    const s = await serve(config);
    const post = async (objects: unknown[]): Promise<{ status: number; body: unknown }> => {
      const r = await fetch(`${s.base}${IR}/objects/`, {
        method: 'POST',
        headers: {
          accept: TAXII_MEDIA_TYPE,
          authorization: `Bearer ${writer}`,
          'content-type': TAXII_MEDIA_TYPE,
        },
        body: JSON.stringify({ objects }),
      });
      return { status: r.status, body: await r.json() };
    };
    const count = async (): Promise<number> => {
      let n = 0;
      let next: string | undefined;
      do {
        const r = await fetch(
          `${s.base}${IR}/manifest/?limit=1000${next === undefined ? '' : `&next=${next}`}`,
          { headers: { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${writer}` } },
        );
        const body = (await r.json()) as { objects?: unknown[]; more?: boolean; next?: string };
        n += body.objects?.length ?? 0;
        next = body.more === true ? body.next : undefined;
      } while (next !== undefined);
      return n;
    };
    try {
      const objs = Array.from({ length: 700 }, (_, n) => indicator(n));
      const ok = await post(objs);
      expect(ok.status).toBe(202);
      expect(ok.body).toMatchObject({ status: 'complete', total_count: 700, success_count: 700 });
      expect(await count()).toBe(700);
      // Invalid in the last chunk: the envelope is refused whole.
      const more = Array.from({ length: 700 }, (_, n) => indicator(1000 + n));
      more[650] = { ...more[650]!, valid_from: 'not a time' };
      const refused = await post(more);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(await count()).toBe(700);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });
});
