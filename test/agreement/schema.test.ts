import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../../src/agreement/issue-codes.js';
import { AGREEMENT_SCHEMA, DURATION_PATTERN, INSTANT_PATTERN } from '../../src/agreement/schema.js';
import { parseDuration, parseInstant } from '../../src/core/index.js';
import { SCHEMA_FILE, generatedAgreementSchema } from '../../scripts/gen-agreement-schema.js';

describe('docs/agreement.schema.json', () => {
  it('is exactly what scripts/gen-agreement-schema.ts generates', async () => {
    const current = readFileSync(SCHEMA_FILE, 'utf8');
    expect(current, 'stale: run npx tsx scripts/gen-agreement-schema.ts').toBe(
      await generatedAgreementSchema(),
    );
    expect(Object.keys(JSON.parse(current) as object)[0]).toBe('$comment');
  });

  it('describes every property and closes every object', () => {
    const problems: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      if (typeof node !== 'object' || node === null) return;
      const o = node as Record<string, unknown>;
      if (o['type'] === 'object' && o['additionalProperties'] === undefined)
        problems.push(`${path}: object without additionalProperties`);
      for (const [k, v] of Object.entries((o['properties'] ?? {}) as Record<string, unknown>))
        if (typeof (v as Record<string, unknown>)['description'] !== 'string')
          problems.push(`${path}.${k}: no description`);
      for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
    };
    walk(AGREEMENT_SCHEMA, '#');
    expect(problems).toEqual([]);
  });

  it('its duration and instant patterns accept exactly what the parsers accept', () => {
    const dur = new RegExp(DURATION_PATTERN, 'u');
    for (const s of [
      'P90D',
      'PT72H',
      'P72H',
      'P1Y6M',
      'P',
      'PT',
      'P1W2D',
      'PT1.5H',
      'P1DT',
      'P0D',
      'PT0S',
      'p1d',
    ])
      expect(dur.test(s), s).toBe(parseDuration(s) !== undefined);
    const inst = new RegExp(INSTANT_PATTERN, 'u');
    for (const s of [
      '2026-01-01',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00+01:00',
      '2026-01-01T00:00',
      '26-01-01',
      '2026-01-01T00:00:00.123Z',
    ])
      expect(inst.test(s), s).toBe(parseInstant(s) !== undefined);
  });
});

describe('docs/spec/agreement-language.md issue codes', () => {
  const doc = readFileSync(
    new URL('../../docs/spec/agreement-language.md', import.meta.url),
    'utf8',
  );
  const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \| (error|warning) \| (.+?) \|$/gm)].map(
    (m) => ({
      code: m[1]!,
      severity: m[2]!,
    }),
  );

  it('documents every registered code with its severity', () => {
    for (const [code, spec] of Object.entries(ISSUE_CODES))
      expect(
        rows.find((r) => r.code === code),
        `${code} missing from the spec`,
      ).toEqual({ code, severity: spec.severity });
  });

  it('documents nothing that is not registered', () => {
    for (const row of rows) expect(Object.keys(ISSUE_CODES)).toContain(row.code);
  });
});
