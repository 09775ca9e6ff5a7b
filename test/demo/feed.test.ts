/**
 * The demo's synthetic feed: deterministic from its seed, valid STIX 2.1 by the OASIS schemas,
 * every object TLP 2.0-marked, incidents carrying an RSIT class, graded objects carrying an
 * Admiralty-derived confidence, and names taken from the vendored MISP galaxy lists.
 */
import { describe, expect, it } from 'vitest';
import { MALWARE_FAMILIES, THREAT_ACTORS, feedBundle } from '../../src/demo/index.js';
import type { BatchOptions } from '../../src/demo/index.js';
import {
  confidenceToAdmiralty,
  objectMeta,
  rsitOf,
  tlpOf,
  validateStixBundle,
} from '../../src/intel/index.js';

const OPTIONS: BatchOptions = {
  seed: 'test-seed',
  party: 'ARV',
  batch: 1,
  at: Date.parse('2026-03-02T08:00:00Z'),
  shape: { indicators: 20, malware: 4, incidents: 6, threatActors: 3, urls: 3, red: 2 },
};

describe('demo feed', () => {
  it('is deterministic: same seed, same bytes; another seed or batch, other objects', () => {
    const a = JSON.stringify(feedBundle(OPTIONS));
    expect(JSON.stringify(feedBundle(OPTIONS))).toBe(a);
    expect(JSON.stringify(feedBundle({ ...OPTIONS, seed: 'other' }))).not.toBe(a);
    const ids = new Set(feedBundle(OPTIONS).objects.map((o) => o.id));
    for (const o of feedBundle({ ...OPTIONS, batch: 2 }).objects)
      if (o.type !== 'url') expect(ids.has(o.id)).toBe(false);
  });

  it('is valid STIX 2.1 with TLP 2.0 markings, RSIT classes and Admiralty grades', () => {
    const bundle = feedBundle(OPTIONS);
    const v = validateStixBundle(bundle);
    expect(v.issues.filter((i) => i.severity === 'error')).toStrictEqual([]);
    expect(v.valid).toBe(true);
    const objects = bundle.objects;
    expect(objects).toHaveLength(20 + 4 + 6 + 3 + 3 + 2);
    const byType = (t: string) => objects.filter((o) => o.type === t);
    expect(byType('indicator')).toHaveLength(22);
    for (const o of objects) expect(tlpOf(o), String(o.id)).toBeDefined();
    expect(byType('indicator').filter((o) => tlpOf(o) === 'red')).toHaveLength(2);
    for (const o of byType('incident')) expect(rsitOf(o), String(o.name)).toBeDefined();
    for (const o of [...byType('indicator'), ...byType('malware'), ...byType('incident')]) {
      const confidence = objectMeta(o, 'ARV').confidence;
      expect(confidence).toBeDefined();
      const grade = confidenceToAdmiralty(confidence ?? -1);
      expect(o.labels).toContain(
        `admiralty-scale:source-reliability="${String(grade).charAt(0).toLowerCase()}"`,
      );
    }
    const actors = new Set(THREAT_ACTORS.map((t) => t.name));
    const families = new Set(MALWARE_FAMILIES.map((m) => m.name));
    for (const o of byType('threat-actor')) expect(actors.has(String(o.name))).toBe(true);
    for (const o of byType('malware')) expect(families.has(String(o.name))).toBe(true);
  });
});
